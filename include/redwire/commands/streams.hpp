// Stream commands (XADD, XREAD, XREADGROUP, XACK, ...). Filled in by the streams work; the
// group exists so that every form of the client (async, blocking, pipeline) inherits it.
#pragma once

#include "redwire/commands/run.hpp"

namespace redwire {

template <class Derived>
class StreamCommands {};

}  // namespace redwire
