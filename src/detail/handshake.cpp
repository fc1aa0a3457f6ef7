#include "redwire/detail/handshake.hpp"

#include <algorithm>
#include <charconv>

#include "redwire/config.hpp"
#include "redwire/convert.hpp"
#include "redwire/resp/encoder.hpp"

namespace redwire::detail {
namespace {

bool hello_unsupported(std::string_view error) {
  return error.starts_with("NOPROTO") || error.find("unknown command") != std::string_view::npos;
}

bool is_auth_error(std::string_view error) {
  return error.starts_with("WRONGPASS") || error.starts_with("NOAUTH") ||
         error.find("invalid password") != std::string_view::npos ||
         error.find("invalid username-password") != std::string_view::npos;
}

}  // namespace

bool info_says_loading(std::string_view info, std::int64_t* eta_seconds) {
  auto field = [&](std::string_view name) -> std::string_view {
    std::size_t pos = 0;
    while ((pos = info.find(name, pos)) != std::string_view::npos) {
      if (pos == 0 || info[pos - 1] == '\n') {
        const auto start = pos + name.size();
        const auto end = info.find_first_of("\r\n", start);
        return info.substr(start, end == std::string_view::npos ? end : end - start);
      }
      pos += name.size();
    }
    return {};
  };
  const bool loading = field("loading:") == "1";
  if (loading && eta_seconds) {
    const auto eta = field("loading_eta_seconds:");
    std::int64_t v = 0;
    if (std::from_chars(eta.data(), eta.data() + eta.size(), v).ec == std::errc{}) *eta_seconds = v;
  }
  return loading;
}

void Handshake::add(Kind kind, std::string payload, const HandshakeConfig::Extra* extra) {
  batch_.push_back(kind);
  batch_extra_.push_back(extra);
  batch_payload_ += payload;
}

Handshake::Step Handshake::send_batch() {
  next_reply_ = 0;
  Send s{std::move(batch_payload_), static_cast<std::uint32_t>(batch_.size())};
  batch_payload_.clear();
  return s;
}

Handshake::Step Handshake::start() {
  protocol_ = config_.protocol;
  return hello_step();
}

Handshake::Step Handshake::hello_step() {
  batch_.clear();
  batch_extra_.clear();
  std::string cmd;
  const std::string proto = std::to_string(config_.protocol);
  const std::string user = config_.username.empty() ? "default" : config_.username;
  if (!config_.password.empty() && !config_.client_name.empty()) {
    resp::append_command(cmd, "HELLO", proto, "AUTH", user, config_.password, "SETNAME",
                         config_.client_name);
  } else if (!config_.password.empty()) {
    resp::append_command(cmd, "HELLO", proto, "AUTH", user, config_.password);
  } else if (!config_.client_name.empty()) {
    resp::append_command(cmd, "HELLO", proto, "SETNAME", config_.client_name);
  } else {
    resp::append_command(cmd, "HELLO", proto);
  }
  add(Kind::hello, std::move(cmd));
  return send_batch();
}

Handshake::Step Handshake::auth_step() {
  batch_.clear();
  batch_extra_.clear();
  std::string cmd;
  if (config_.username.empty()) {
    resp::append_command(cmd, "AUTH", config_.password);
  } else {
    resp::append_command(cmd, "AUTH", config_.username, config_.password);
  }
  add(Kind::auth, std::move(cmd));
  return send_batch();
}

Handshake::Step Handshake::setup_step() {
  batch_.clear();
  batch_extra_.clear();
  std::string cmd;
  if (config_.db != 0) {
    resp::append_command(cmd, "SELECT", config_.db);
    add(Kind::select, std::move(cmd));
    cmd.clear();
  }
  if (fallback_ && !config_.client_name.empty()) {
    resp::append_command(cmd, "CLIENT", "SETNAME", config_.client_name);
    add(Kind::setname, std::move(cmd));
    cmd.clear();
  }
  resp::append_command(cmd, "CLIENT", "SETINFO", "LIB-NAME", "redwire");
  add(Kind::setinfo, std::move(cmd));
  cmd.clear();
  resp::append_command(cmd, "CLIENT", "SETINFO", "LIB-VER", REDWIRE_VERSION_STRING);
  add(Kind::setinfo, std::move(cmd));
  for (const auto& e : config_.extra) {
    add(e.ignore_errors ? Kind::extra_lenient : Kind::extra_strict, e.payload, &e);
  }
  return send_batch();
}

Handshake::Step Handshake::ready_check_step() {
  if (!config_.ready_check) return Done{};
  batch_.clear();
  batch_extra_.clear();
  std::string cmd;
  resp::append_command(cmd, "INFO", "persistence");
  add(Kind::info, std::move(cmd));
  return send_batch();
}

std::optional<Handshake::Step> Handshake::on_reply(const Reply& reply) {
  if (next_reply_ >= batch_.size()) {
    return Failed{make_error_code(errc::handshake_failed), "unexpected handshake reply"};
  }
  const HandshakeConfig::Extra* extra = batch_extra_[next_reply_];
  const Kind kind = batch_[next_reply_++];
  const bool error = reply.is_error();
  const std::string_view text = error ? reply.value() : std::string_view{};
  auto fail_with = [&](std::error_code code, std::string what) {
    if (!failure_) failure_ = Failed{code, std::move(what)};
  };
  auto fail = [&](errc code, std::string what) {
    fail_with(make_error_code(code), std::move(what));
  };
  switch (kind) {
    case Kind::hello:
      if (!error) {
        protocol_ = config_.protocol;
        std::map<std::string, Reply> fields;
        if (!from_reply(reply.view(), fields)) {
          std::string tmp;
          if (auto it = fields.find("version"); it != fields.end())
            from_reply(it->second.view(), tmp), server_version_ = tmp;
          if (auto it = fields.find("role"); it != fields.end())
            from_reply(it->second.view(), tmp), server_role_ = tmp;
          if (auto it = fields.find("id"); it != fields.end())
            from_reply(it->second.view(), client_id_);
        }
      } else if (hello_unsupported(text)) {
        fallback_ = true;
        protocol_ = 2;
      } else if (is_auth_error(text)) {
        fail(errc::auth_failed, std::string(text));
      } else {
        fail(errc::handshake_failed, "HELLO: " + std::string(text));
      }
      break;
    case Kind::auth:
      if (error) fail(errc::auth_failed, std::string(text));
      break;
    case Kind::select:
      if (error)
        fail(errc::handshake_failed,
             "SELECT " + std::to_string(config_.db) + ": " + std::string(text));
      break;
    case Kind::setname:
      if (error) fail(errc::handshake_failed, "CLIENT SETNAME: " + std::string(text));
      break;
    case Kind::setinfo:
    case Kind::extra_lenient:
      break;  // servers before 7.2 lack CLIENT SETINFO
    case Kind::extra_strict:
      if (error) {
        fail(errc::handshake_failed, std::string(text));
      } else if (extra && extra->check) {
        std::string why;
        if (auto ec = extra->check(reply, why)) fail_with(ec, std::move(why));
      }
      break;
    case Kind::info: {
      std::string info;
      std::int64_t eta = 0;
      loading_ = !error && !from_reply(reply.view(), info) && info_says_loading(info, &eta);
      // Poll at least every second; sooner when the server expects to finish sooner.
      loading_wait_ = std::clamp(std::chrono::milliseconds(eta * 1000),
                                 std::chrono::milliseconds(100), std::chrono::milliseconds(1000));
      break;
    }
  }
  if (next_reply_ < batch_.size()) return std::nullopt;
  return finish_batch();
}

Handshake::Step Handshake::finish_batch() {
  if (failure_) return *failure_;
  switch (batch_.front()) {
    case Kind::hello:
      if (fallback_ && !config_.password.empty()) return auth_step();
      return setup_step();
    case Kind::auth:
      return setup_step();
    case Kind::info:
      if (loading_) return Wait{loading_wait_};
      return Done{};
    default:
      return ready_check_step();
  }
}

Handshake::Step Handshake::resume() {
  return ready_check_step();
}

}  // namespace redwire::detail
