#include "redwire/reliable_queue.hpp"

namespace redwire {
namespace {

// Keys derived from the queue share its hash slot: "{queue}:..." hashes like "queue" itself
// (a queue name that already has a hash tag keeps it as the prefix).
std::string derived_prefix(std::string_view queue) {
  if (queue.find('{') != std::string_view::npos) return std::string(queue) + ":";
  return "{" + std::string(queue) + "}:";
}

// Newest first onto the consuming (right) end, so the oldest job ends up being popped first.
constexpr std::string_view kRecover = R"lua(
local moved = 0
while redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT') do moved = moved + 1 end
return moved
)lua";

// KEYS: queue, workers set. ARGV: processing-list prefix, alive-key prefix, this worker.
constexpr std::string_view kRecoverDead = R"lua(
local moved = 0
for _, w in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if w ~= ARGV[3] and redis.call('EXISTS', ARGV[2] .. w) == 0 then
    local list = ARGV[1] .. w
    while redis.call('LMOVE', list, KEYS[1], 'LEFT', 'RIGHT') do moved = moved + 1 end
    redis.call('SREM', KEYS[2], w)
  end
end
return moved
)lua";

// KEYS: alive key, workers set. ARGV: ttl ms, worker.
constexpr std::string_view kHeartbeat = R"lua(
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
return 1
)lua";

}  // namespace

ReliableQueue::ReliableQueue(Client& client, ReliableQueueOptions options)
    : client_(client),
      options_(std::move(options)),
      processing_(processing_list_of(options_.queue, options_.worker)) {
  if (options_.liveness_ttl.count() <= 0) options_.liveness_ttl = std::chrono::seconds(30);
}

std::string ReliableQueue::processing_list_of(std::string_view queue, std::string_view worker) {
  return derived_prefix(queue) + "processing:" + std::string(worker);
}

Command ReliableQueue::pop_command(std::chrono::milliseconds timeout) const {
  if (timeout.count() < 0) {
    return Command::invalid(make_error_code(errc::invalid_argument), "pop: negative timeout");
  }
  const double seconds = static_cast<double>(timeout.count()) / 1000.0;
  Command cmd("BLMOVE", options_.queue, processing_, "RIGHT", "LEFT", seconds);
  cmd.block_for(timeout.count() == 0 ? std::chrono::milliseconds(-1) : timeout);
  return cmd;
}

Command ReliableQueue::heartbeat_command() const {
  const std::string prefix = derived_prefix(options_.queue);
  return Command("EVAL", kHeartbeat, 2, prefix + "alive:" + options_.worker, prefix + "workers",
                 options_.liveness_ttl.count(), options_.worker);
}

Command ReliableQueue::recover_command(std::string_view worker) const {
  return Command("EVAL", kRecover, 2, processing_list_of(options_.queue, worker), options_.queue);
}

Command ReliableQueue::recover_dead_command() const {
  const std::string prefix = derived_prefix(options_.queue);
  return Command("EVAL", kRecoverDead, 2, options_.queue, prefix + "workers",
                 prefix + "processing:", prefix + "alive:", options_.worker);
}

}  // namespace redwire
