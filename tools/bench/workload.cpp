#include "workload.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <stdexcept>

namespace redwire::bench {
namespace {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

}  // namespace

Workload::Workload(WorkloadOptions options)
    : options_(std::move(options)), state_(options_.seed * 0x9E3779B97F4A7C15ull + 1) {
  options_.command = upper(options_.command);
  if (options_.keyspace == 0) throw std::invalid_argument("keyspace must be at least 1");
  const std::string& c = options_.command;
  if (c == "SET") {
    fixed_ = Op::set;
  } else if (c == "GET") {
    fixed_ = Op::get;
  } else if (c == "INCR") {
    fixed_ = Op::incr;
  } else if (c == "LPUSH") {
    fixed_ = Op::lpush;
  } else if (c == "MIXED") {
    mixed_ = true;
  } else if (c == "GENERIC") {
    if (options_.generic_args.empty()) {
      throw std::invalid_argument("GENERIC needs --generic \"NAME ARG...\"");
    }
    fixed_ = Op::generic;
  } else {
    throw std::invalid_argument("unknown command '" + c +
                                "' (SET, GET, INCR, LPUSH, MIXED or GENERIC)");
  }
  value_.assign(options_.value_size, 'x');
}

std::uint64_t Workload::random() noexcept {
  // xorshift64*: a few instructions, good enough to spread keys.
  state_ ^= state_ >> 12;
  state_ ^= state_ << 25;
  state_ ^= state_ >> 27;
  return state_ * 0x2545F4914F6CDD1Dull;
}

Op Workload::next_op() noexcept {
  if (!mixed_) return fixed_;
  const std::uint64_t r = random() % 100;
  if (r < 70) return Op::get;
  if (r < 90) return Op::set;
  if (r < 95) return Op::incr;
  return Op::lpush;
}

std::string_view Workload::next_key(Op op) noexcept {
  std::uint64_t n = random() % options_.keyspace;
  const std::string_view prefix = op == Op::incr ? "counter:" : op == Op::lpush ? "list:" : "key:";
  std::memcpy(key_, prefix.data(), prefix.size());
  // Same shape as redis-benchmark's key:__rand_int__ with -r: 12 zero-padded digits.
  char* end = key_ + prefix.size() + 12;
  for (char* p = end; p != key_ + prefix.size(); n /= 10) *--p = static_cast<char>('0' + n % 10);
  return {key_, static_cast<std::size_t>(end - key_)};
}

Command Workload::generic_command() noexcept {
  const auto& a = options_.generic_args;
  std::vector<std::string_view> args;
  args.reserve(a.size() - 1);
  std::string_view key;
  bool key_drawn = false;
  for (std::size_t i = 1; i < a.size(); ++i) {
    if (a[i] == "__key__") {
      if (!key_drawn) key = next_key(Op::generic);
      key_drawn = true;
      args.push_back(key);
    } else if (a[i] == "__value__") {
      args.push_back(value_);
    } else {
      args.push_back(a[i]);
    }
  }
  return Command(a[0], args);
}

std::string Workload::label() const {
  if (fixed_ == Op::generic && !mixed_) return upper(options_.generic_args.front());
  return options_.command;
}

}  // namespace redwire::bench
