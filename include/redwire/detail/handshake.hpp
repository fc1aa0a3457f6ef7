// The connection handshake as a sans-io state machine:
//   HELLO <proto> [AUTH user pass] [SETNAME name]      (fallback: AUTH, CLIENT SETNAME, RESP2)
//   SELECT db, CLIENT SETINFO lib-name/lib-ver (errors ignored), commands later layers register
//   INFO persistence while the server is loading (ready check)
// The connection sends each Send step as one batch and feeds the replies back in order.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <system_error>
#include <variant>
#include <vector>

#include "redwire/resp/reply.hpp"

namespace redwire::detail {

struct HandshakeConfig {
  int protocol = 3;
  std::string username{};
  std::string password{};
  std::string client_name{};
  int db = 0;
  bool ready_check = true;
  /// Encoded commands sent after SELECT (READONLY, CLIENT TRACKING, ROLE, ...). A failure of
  /// one of them fails the handshake unless `ignore_errors` is set; `check`, when given, judges
  /// the reply (e.g. ROLE must say "master") and fails the handshake with its error.
  struct Extra {
    std::string payload;
    bool ignore_errors = false;
    std::function<std::error_code(const Reply&, std::string& detail)> check{};
  };
  std::vector<Extra> extra{};
};

class Handshake {
 public:
  struct Send {
    std::string payload;
    std::uint32_t replies;
  };
  struct Wait {
    std::chrono::milliseconds delay;
  };
  struct Done {};
  struct Failed {
    std::error_code ec;
    std::string detail;  ///< the server's words; never contains the password
  };
  using Step = std::variant<Send, Wait, Done, Failed>;

  explicit Handshake(HandshakeConfig config) : config_(std::move(config)) {}

  /// The first step (always a Send).
  Step start();
  /// Feeds one reply of the current batch. Returns the next step after the batch's last reply.
  std::optional<Step> on_reply(const Reply& reply);
  /// After a Wait step: the step to take once the delay has passed.
  Step resume();

  /// Protocol in force after the handshake (2 when HELLO was missing).
  int protocol() const noexcept { return protocol_; }
  /// From HELLO: "version", "role", "mode", "id" (empty under the fallback).
  const std::string& server_version() const noexcept { return server_version_; }
  const std::string& server_role() const noexcept { return server_role_; }
  std::int64_t client_id() const noexcept { return client_id_; }

 private:
  enum class Kind { hello, auth, select, setname, setinfo, extra_strict, extra_lenient, info };

  Step hello_step();
  Step auth_step();
  Step setup_step();
  Step ready_check_step();
  Step finish_batch();
  void add(Kind kind, std::string payload, const HandshakeConfig::Extra* extra = nullptr);
  Step send_batch();

  HandshakeConfig config_;
  std::vector<Kind> batch_;
  std::vector<const HandshakeConfig::Extra*> batch_extra_;  // per batch entry, for checks
  std::string batch_payload_;
  std::size_t next_reply_ = 0;
  std::optional<Failed> failure_;
  bool fallback_ = false;
  bool loading_ = false;
  std::chrono::milliseconds loading_wait_{0};
  int protocol_ = 3;
  std::string server_version_;
  std::string server_role_;
  std::int64_t client_id_ = 0;
};

/// Parses the INFO text: "loading:1" -> true, with the ETA in seconds if given.
bool info_says_loading(std::string_view info, std::int64_t* eta_seconds = nullptr);

}  // namespace redwire::detail
