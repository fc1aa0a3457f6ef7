#include "redwire/test/redis_server.hpp"

#include <signal.h>

#include <fstream>
#include <optional>
#include <stdexcept>
#include <thread>

#include "redwire/test/ports.hpp"
#include "redwire/test/raw_connection.hpp"
#include "redwire/test/server_log_journal.hpp"
#include "redwire/test/tls_certificates.hpp"
#include "redwire/test/wait.hpp"

namespace redwire::test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kPortAttempts = 5;

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::optional<std::string> parse_info_field(std::string_view info, std::string_view field) {
  std::size_t pos = 0;
  while (pos < info.size()) {
    std::size_t end = info.find('\n', pos);
    if (end == std::string_view::npos) end = info.size();
    std::string_view line = info.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > field.size() && line.substr(0, field.size()) == field &&
        line[field.size()] == ':') {
      return std::string(line.substr(field.size() + 1));
    }
    pos = end + 1;
  }
  return std::nullopt;
}

RedisServer::RedisServer(RedisServerOptions options)
    : options_(std::move(options)), dir_(options_.sentinel ? "redwire-sentinel" : "redwire-redis") {
  if (options_.executable.empty()) {
    options_.executable = options_.sentinel ? "/usr/bin/redis-sentinel" : "/usr/bin/redis-server";
  }
  if (options_.name.empty()) options_.name = options_.sentinel ? "redis-sentinel" : "redis-server";
  if (options_.unix_socket) unix_path_ = (dir() / "redis.sock").string();
  journal_id_ = ServerLogJournal::instance().add(options_.name, dir() / "redis.log");

  const bool fixed_port = options_.port != 0;
  for (int attempt = 1;; ++attempt) {
    port_ = fixed_port ? options_.port : free_port();
    if (options_.tls) tls_port_ = free_port();
    if (options_.cluster) bus_port_ = free_port();
    write_config();
    try {
      start();
      return;
    } catch (const std::runtime_error&) {
      // Another process may have taken the port between free_port() and the bind.
      const bool port_taken = log().find("Address already in use") != std::string::npos;
      if (fixed_port || !port_taken || attempt == kPortAttempts) {
        ServerLogJournal::instance().finish(journal_id_);
        throw;
      }
      std::filesystem::remove(dir() / "redis.log");
      std::filesystem::remove(dir() / "nodes.conf");
    }
  }
}

RedisServer::~RedisServer() {
  try {
    stop();
  } catch (...) {
    process_.kill();
  }
  ServerLogJournal::instance().finish(journal_id_);
}

void RedisServer::write_config() {
  std::ofstream conf(config_file(), std::ios::trunc);
  conf << "bind 127.0.0.1\n"
       << "port " << port_ << "\n"
       << "dir " << quote(dir().string()) << "\n"
       << "logfile " << quote((dir() / "redis.log").string()) << "\n"
       << "daemonize no\n";
  if (!options_.sentinel) {
    conf << "save \"\"\n"
         << "enable-debug-command local\n"
         << "repl-diskless-sync-delay 0\n"
         // Serve clients (with -LOADING) while loading even small files, so that tests can
         // observe LOADING (e.g. with --key-load-delay) and startup is seen as soon as possible.
         << "loading-process-events-interval-bytes 1024\n";
    if (options_.appendonly) {
      conf << "appendonly yes\nappendfsync always\n";
    } else {
      conf << "appendonly no\n";
    }
  }
  if (options_.cluster) {
    conf << "cluster-enabled yes\n"
         << "cluster-config-file nodes.conf\n"
         << "cluster-port " << bus_port_ << "\n";
  }
  if (options_.unix_socket) {
    conf << "unixsocket " << quote(unix_path_) << "\nunixsocketperm 700\n";
  }
  if (!options_.requirepass.empty()) conf << "requirepass " << quote(options_.requirepass) << "\n";
  for (const AclUser& u : options_.users) {
    conf << "user " << u.name << " " << u.rules << " >" << u.password << "\n";
  }
  if (options_.tls) {
    const TlsCertificates& certs = TlsCertificates::shared();
    conf << "tls-port " << tls_port_ << "\n"
         << "tls-cert-file " << quote(certs.server_cert().string()) << "\n"
         << "tls-key-file " << quote(certs.server_key().string()) << "\n"
         << "tls-ca-cert-file " << quote(certs.ca_cert().string()) << "\n"
         << "tls-auth-clients " << options_.tls_auth_clients << "\n";
  }
  for (const std::string& line : options_.config) conf << line << "\n";
  if (!conf) throw std::runtime_error("RedisServer: cannot write " + config_file().string());
}

void RedisServer::start() {
  std::vector<std::string> argv{options_.executable, config_file().string()};
  argv.insert(argv.end(), options_.extra_args.begin(), options_.extra_args.end());
  process_ = ChildProcess::spawn(argv, dir(), dir() / "stdout.log");
  paused_ = false;
  ServerLogJournal::instance().rename(journal_id_, describe());
  wait_ready(options_.start_timeout);
}

std::string RedisServer::describe() const {
  return options_.name + " 127.0.0.1:" + std::to_string(port_) + " (pid " +
         std::to_string(process_.pid()) + ", dir " + dir().string() + ")";
}

void RedisServer::wait_ready(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::string last_error = "no attempt";
  auto pause = std::chrono::milliseconds(2);
  for (;;) {
    // A server that exited will never answer: report at once instead of waiting out the bound.
    if (process_.pid() < 0 || process_.wait_for_exit({})) {
      throw std::runtime_error(describe() + " exited during startup; log:\n" +
                               read_file_tail(dir() / "redis.log", 4096) +
                               read_file_tail(dir() / "stdout.log", 2048));
    }
    try {
      RawConnection c = RawConnection::connect(host_, port_, std::chrono::milliseconds(200));
      c.send("PING\r\n");
      c.read_reply(std::chrono::milliseconds(500));
      return;
    } catch (const std::exception& e) {
      last_error = e.what();
    }
    if (Clock::now() >= deadline) {
      throw std::runtime_error(describe() + " did not answer PING within " +
                               std::to_string(timeout.count()) + " ms (" + last_error +
                               "); log:\n" + read_file_tail(dir() / "redis.log", 4096));
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

void RedisServer::wait_loaded(std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (info_field("persistence", "loading") == "0") return;
    if (Clock::now() >= deadline) throw std::runtime_error(describe() + " still loading");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string RedisServer::url() const {
  const std::string auth = options_.requirepass.empty() ? "" : ":" + options_.requirepass + "@";
  return "redis://" + auth + host_ + ":" + std::to_string(port_);
}

std::string RedisServer::tls_url() const {
  const std::string auth = options_.requirepass.empty() ? "" : ":" + options_.requirepass + "@";
  return "rediss://" + auth + host_ + ":" + std::to_string(tls_port_);
}

bool RedisServer::running() {
  return process_.running();
}

std::string RedisServer::log() const {
  return read_file_tail(dir() / "redis.log", 1u << 30);
}

void RedisServer::kill9() {
  process_.kill();
  paused_ = false;
}

void RedisServer::restart() {
  stop();
  start();
}

void RedisServer::pause() {
  process_.signal(SIGSTOP);
  paused_ = true;
}

void RedisServer::resume() {
  process_.signal(SIGCONT);
  paused_ = false;
}

void RedisServer::shutdown_nosave() {
  if (process_.pid() < 0) return;
  resume();
  try_cli({"SHUTDOWN", "NOSAVE"});  // redis-cli may report the closed link: not an error here
  if (!process_.wait_for_exit(options_.stop_timeout)) process_.kill();
}

void RedisServer::stop() {
  process_.terminate(options_.stop_timeout);
  paused_ = false;
}

CommandResult RedisServer::try_cli(const std::vector<std::string>& args,
                                   std::chrono::milliseconds timeout) const {
  std::vector<std::string> argv{"redis-cli", "-h", host_, "-p", std::to_string(port_)};
  if (!options_.requirepass.empty()) {
    argv.insert(argv.end(), {"--no-auth-warning", "-a", options_.requirepass});
  }
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, timeout);
}

std::string RedisServer::cli_args(const std::vector<std::string>& args,
                                  std::chrono::milliseconds timeout) const {
  CommandResult r = try_cli(args, timeout);
  if (r.exit_code != 0) {
    std::string cmd;
    for (const auto& a : args) cmd += " " + a;
    throw std::runtime_error("redis-cli" + cmd + " against " + describe() +
                             (r.timed_out ? " timed out" : " failed") + ": " + r.out + r.err);
  }
  if (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
  return std::move(r.out);
}

std::string RedisServer::info(std::string_view section) const {
  return section.empty() ? cli("INFO") : cli("INFO", section);
}

void RedisServer::wait_replicated(std::size_t replicas, std::chrono::milliseconds timeout) const {
  std::string last;
  // Fixed at the first reading: what was written before the call. (A moving target would wait
  // for an acknowledgement newer than the last sentinel hello, which may take several of the
  // replicas' once-a-second REPLCONF ACKs.)
  std::optional<long long> target;
  wait_until(
      [&] {
        last = info("replication");
        if (!target) {
          const auto master_offset = parse_info_field(last, "master_repl_offset");
          if (!master_offset) return false;
          target = std::stoll(*master_offset);
        }
        std::size_t caught_up = 0;
        for (std::size_t i = 0;; ++i) {
          // slave0:ip=127.0.0.1,port=6380,state=online,offset=1234,lag=0
          const auto line = parse_info_field(last, "slave" + std::to_string(i));
          if (!line) break;
          const auto at = line->find("offset=");
          if (line->find("state=online") == std::string::npos || at == std::string::npos) {
            continue;
          }
          if (std::stoll(line->substr(at + 7)) >= *target) ++caught_up;
        }
        return caught_up >= replicas;
      },
      timeout,
      "server " + std::to_string(port()) + " to see " + std::to_string(replicas) +
          " replica(s) caught up");
}

std::optional<std::string> RedisServer::info_field(std::string_view section,
                                                   std::string_view field) const {
  return parse_info_field(info(section), field);
}

}  // namespace redwire::test
