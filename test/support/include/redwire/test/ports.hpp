// Loopback ports for throwaway servers.
#pragma once

#include <cstdint>

namespace redwire::test {

/// A port on 127.0.0.1 that was free a moment ago: binds 127.0.0.1:0, reads the port the kernel
/// chose, closes. Another process can take it before you bind it, so launchers that use it
/// (RedisServer) retry with a new port when the server reports "Address already in use".
std::uint16_t free_port();

/// True when 127.0.0.1:`port` can be bound right now.
bool port_is_free(std::uint16_t port);

}  // namespace redwire::test
