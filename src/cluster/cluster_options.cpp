#include "redwire/cluster/cluster_options.hpp"

#include <system_error>

namespace redwire {

ClusterOptions ClusterOptions::from_url(std::string_view url, std::error_code& ec) {
  ClusterOptions out;
  out.node = Options::from_url(url, ec);
  if (ec) return out;
  if (!out.node.path.empty()) {
    ec = make_error_code(errc::invalid_url);
    return out;
  }
  out.seeds.push_back(cluster::NodeAddress{out.node.host, out.node.port});
  return out;
}

ClusterOptions ClusterOptions::from_url(std::string_view url) {
  std::error_code ec;
  ClusterOptions out = from_url(url, ec);
  if (ec) throw std::system_error(ec, "ClusterOptions::from_url");
  return out;
}

cluster::NodeAddress ClusterOptions::translate(const cluster::NodeAddress& announced) const {
  if (!nat_map.empty()) {
    auto it = nat_map.find(announced.to_string());
    if (it != nat_map.end()) return it->second;
  }
  if (nat_mapper) {
    if (auto mapped = nat_mapper(announced)) return *mapped;
  }
  return announced;
}

std::error_code ClusterOptions::validate(std::string& detail) const {
  if (seeds.empty()) {
    detail = "ClusterOptions: no seeds (startup nodes)";
    return make_error_code(errc::invalid_argument);
  }
  for (const auto& s : seeds) {
    if (s.host.empty() || s.port == 0) {
      detail = "ClusterOptions: a seed has no host or port";
      return make_error_code(errc::invalid_argument);
    }
  }
  if (node.db != 0) {
    detail =
        "ClusterOptions: a cluster has only database 0 (node.db = " + std::to_string(node.db) + ")";
    return make_error_code(errc::invalid_argument);
  }
  if (!node.path.empty()) {
    detail = "ClusterOptions: cluster nodes are reached over TCP (node.path is set)";
    return make_error_code(errc::invalid_argument);
  }
  if (max_redirections == 0) {
    detail = "ClusterOptions: max_redirections must be at least 1";
    return make_error_code(errc::invalid_argument);
  }
  return {};
}

}  // namespace redwire
