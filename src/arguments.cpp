#include "redwire/arguments.hpp"

namespace redwire {

SetOptions operator|(SetOptions a, const SetOptions& b) {
  a.conflict = a.conflict || b.conflict;
  if (b.expiry != SetOptions::Expiry::none) {
    if (a.expiry != SetOptions::Expiry::none) a.conflict = true;
    a.expiry = b.expiry;
    a.expiry_value = b.expiry_value;
  }
  if (b.condition != SetOptions::Condition::none) {
    if (a.condition != SetOptions::Condition::none && a.condition != b.condition) a.conflict = true;
    a.condition = b.condition;
  }
  return a;
}

namespace {
SetOptions expiry(SetOptions::Expiry e, long long v) {
  SetOptions o;
  o.expiry = e;
  o.expiry_value = v;
  o.conflict = e != SetOptions::Expiry::keepttl && v <= 0;  // the server would reject it
  return o;
}
}  // namespace

SetOptions ex(std::chrono::seconds s) {
  return expiry(SetOptions::Expiry::ex, s.count());
}
SetOptions px(std::chrono::milliseconds ms) {
  return expiry(SetOptions::Expiry::px, ms.count());
}
SetOptions exat(std::chrono::system_clock::time_point t) {
  return expiry(SetOptions::Expiry::exat,
                std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}
SetOptions pxat(std::chrono::system_clock::time_point t) {
  return expiry(
      SetOptions::Expiry::pxat,
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}
SetOptions keepttl() {
  return expiry(SetOptions::Expiry::keepttl, 0);
}
SetOptions nx() {
  SetOptions o;
  o.condition = SetOptions::Condition::nx;
  return o;
}
SetOptions xx() {
  SetOptions o;
  o.condition = SetOptions::Condition::xx;
  return o;
}

}  // namespace redwire
