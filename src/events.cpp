#include "redwire/events.hpp"

namespace redwire {

std::string_view to_string(EventType t) noexcept {
  switch (t) {
    case EventType::connecting:
      return "connecting";
    case EventType::connect:
      return "connect";
    case EventType::ready:
      return "ready";
    case EventType::error:
      return "error";
    case EventType::close:
      return "close";
    case EventType::reconnecting:
      return "reconnecting";
    case EventType::end:
      return "end";
  }
  return "unknown";
}

}  // namespace redwire
