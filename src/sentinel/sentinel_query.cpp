#include "sentinel_query.hpp"

#include <asio/steady_timer.hpp>
#include <memory>

#include "redwire/detail/connection.hpp"

namespace redwire::sentinel {
namespace {

// One query to one sentinel; everything runs on the link's strand.
class QueryOp : public std::enable_shared_from_this<QueryOp> {
 public:
  QueryOp(std::shared_ptr<detail::Connection> conn, QueryDone done, std::string where)
      : conn_(std::move(conn)),
        timer_(conn_->executor()),
        done_(std::move(done)),
        where_(std::move(where)) {}

  void start(const Query& query, std::chrono::milliseconds timeout);
  void finish(std::error_code ec, std::vector<Reply> replies, std::string detail) {
    if (finished_) return;
    finished_ = true;
    timer_.cancel();
    conn_->disconnect();
    if (ec && detail.empty()) detail = ec.message();
    if (ec) detail = where_ + ": " + detail;
    auto done = std::move(done_);
    done(ec, std::move(replies), std::move(detail));
  }

 private:
  std::shared_ptr<detail::Connection> conn_;
  asio::steady_timer timer_;
  QueryDone done_;
  std::string where_;
  bool finished_ = false;
};

class CollectRequest final : public detail::Request {
 public:
  explicit CollectRequest(std::shared_ptr<QueryOp> op) : op_(std::move(op)) {}
  void on_reply(const Reply& reply) override { replies_.push_back(Reply::copy_of(reply.view())); }
  void on_finish(std::error_code ec) override {
    auto op = std::move(op_);
    op->finish(ec, std::move(replies_), error_detail);
  }

 private:
  std::shared_ptr<QueryOp> op_;
  std::vector<Reply> replies_;
};

void QueryOp::start(const Query& query, std::chrono::milliseconds timeout) {
  auto req = std::make_shared<CollectRequest>(shared_from_this());
  req->payload = query.payload;
  req->expected_replies = query.replies;
  timer_.expires_after(timeout);
  timer_.async_wait([self = shared_from_this(), timeout](std::error_code ec) {
    if (ec) return;
    self->finish(make_error_code(errc::command_timeout), {},
                 "no answer within " + std::to_string(timeout.count()) + " ms");
  });
  conn_->submit(std::move(req), std::chrono::milliseconds(0));
}

// Walks the sentinel list; each step starts after the previous one ended.
class DiscoverOp : public std::enable_shared_from_this<DiscoverOp> {
 public:
  DiscoverOp(asio::any_io_executor ex, const SentinelOptions& so, std::vector<HostPort> sentinels,
             Chooser chooser, DiscoverDone done)
      : ex_(std::move(ex)),
        so_(so),
        sentinels_(std::move(sentinels)),
        chooser_(std::move(chooser)),
        done_(std::move(done)),
        query_(make_query(so.master_name, so.role, so.update_sentinels)) {}

  void next() {
    if (index_ >= sentinels_.size()) return fail();
    const HostPort& s = sentinels_[index_];
    ask_sentinel(ex_, so_, s, query_,
                 [self = shared_from_this()](std::error_code ec, std::vector<Reply> replies,
                                             std::string detail) {
                   self->on_answer(ec, std::move(replies), std::move(detail));
                 });
  }

 private:
  void on_answer(std::error_code ec, std::vector<Reply> replies, std::string detail) {
    const HostPort& s = sentinels_[index_++];
    Answer answer;
    if (!ec) {
      ec = parse_answer(replies, so_.role, so_.update_sentinels, answer, detail);
      if (ec) detail = s.to_string() + ": " + detail;
    }
    if (!ec) {
      Choice c = chooser_(answer);
      if (!c.ec) {
        Found found{std::move(c.target), s, {}};
        for (auto& p : answer.sentinels) found.peers.push_back(translate(so_.nat_map, p));
        auto done = std::move(done_);
        return done({}, std::move(found), {});
      }
      ec = c.ec;
      detail = s.to_string() + ": " + c.detail;
    }
    if (ec == sentinel_errc::master_unknown || ec == sentinel_errc::no_replica_available) {
      telling_ = ec;  // a sentinel answered: more useful than "unreachable"
    }
    problems_ += (problems_.empty() ? "" : "; ") + detail;
    next();
  }

  void fail() {
    const std::error_code ec =
        telling_ ? telling_ : make_error_code(sentinel_errc::no_sentinel_reachable);
    std::string detail = "sentinel discovery of \"" + so_.master_name + "\" failed";
    if (!problems_.empty()) detail += ": " + problems_;
    if (sentinels_.empty()) detail += ": no sentinel to ask";
    auto done = std::move(done_);
    done(ec, Found{}, std::move(detail));
  }

  asio::any_io_executor ex_;
  const SentinelOptions& so_;  // owned by the caller's state, which outlives the walk
  std::vector<HostPort> sentinels_;
  Chooser chooser_;
  DiscoverDone done_;
  Query query_;
  std::size_t index_ = 0;
  std::error_code telling_;
  std::string problems_;
};

}  // namespace

Options sentinel_link_options(const SentinelOptions& so, const HostPort& sentinel,
                              bool persistent) {
  Options o;
  o.host = sentinel.host;
  o.port = sentinel.port;
  o.username = so.sentinel_username;
  o.password = so.sentinel_password;
  // The sentinels speak TLS when the data nodes do (one deployment, one CA); each sentinel's
  // certificate is checked against its own address unless a server_name is set.
  o.tls = so.node.tls;
  o.protocol = 3;
  o.ready_check = false;
  o.connect_timeout = so.sentinel_timeout;
  o.offline_queue = true;
  o.max_pending = 64;
  if (persistent) {
    o.retry_strategy = exponential_backoff(std::chrono::milliseconds(100), std::chrono::seconds(2));
    o.max_retries_per_request = std::nullopt;
    o.health_check_interval = std::chrono::seconds(2);
  } else {
    o.retry_strategy = [](std::uint32_t) { return std::optional<std::chrono::milliseconds>(); };
    o.max_retries_per_request = 0;
  }
  return o;
}

void ask_sentinel(const asio::any_io_executor& ex, const SentinelOptions& so,
                  const HostPort& sentinel, const Query& query, QueryDone done) {
  auto conn = std::make_shared<detail::Connection>(ex, sentinel_link_options(so, sentinel, false));
  auto op = std::make_shared<QueryOp>(conn, std::move(done), sentinel.to_string());
  // Started on the link's strand: the timer and the request's completion share it.
  asio::post(conn->executor(),
             [op, query, timeout = so.sentinel_timeout] { op->start(query, timeout); });
}

void discover(const asio::any_io_executor& ex, const SentinelOptions& so,
              std::vector<HostPort> sentinels, Chooser chooser, DiscoverDone done) {
  auto op = std::make_shared<DiscoverOp>(ex, so, std::move(sentinels), std::move(chooser),
                                         std::move(done));
  op->next();
}

}  // namespace redwire::sentinel
