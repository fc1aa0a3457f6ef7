// Encodes a command with the installed headers and parses it back with the installed library.
#include <cstdio>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <redwire/resp/encoder.hpp>
#include <redwire/resp/parser.hpp>

int main() {
  std::string wire;
  redwire::resp::append_command(wire, "SET", "user:1001", std::string_view("John\r\n\0x", 8), 42);

  redwire::resp::Parser parser;
  std::vector<std::string> args;
  bool done = false;
  std::error_code ec;
  const std::size_t used = parser.feed(
      wire,
      [&](const redwire::resp::Node& node, bool reply_done) {
        if (node.type == redwire::resp::Type::bulk_string) args.emplace_back(node.value);
        done = done || reply_done;
      },
      ec);

  const std::vector<std::string> expected{"SET", "user:1001", std::string("John\r\n\0x", 8), "42"};
  if (ec || used != wire.size() || !done || args != expected) {
    std::fprintf(stderr, "consumer: round trip failed (%s, used %zu of %zu)\n",
                 ec.message().c_str(), used, wire.size());
    return 1;
  }
  std::printf("consumer: encoded and parsed back %zu arguments (%zu bytes)\n", args.size(),
              wire.size());
  return 0;
}
