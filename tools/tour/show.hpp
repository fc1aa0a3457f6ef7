// Printing for the tour: "  redis.get("k")  ->  "v"" for every type the typed commands return.
#pragma once

#include <chrono>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "redwire/redwire.hpp"

namespace tour {

inline std::string describe(const std::string& s) {
  return "\"" + s + "\"";
}
inline std::string describe(const char* s) {
  return describe(std::string(s));
}
inline std::string describe(bool b) {
  return b ? "true" : "false";
}
inline std::string describe(long long n) {
  return std::to_string(n);
}
inline std::string describe(double d) {
  std::ostringstream o;
  o << d;
  return o.str();
}
inline std::string describe(const redwire::SetReply& r) {
  return r ? "OK" : "(nil)";
}
inline std::string describe(const redwire::ScoredMember& m) {
  return describe(m.member) + " " + describe(m.score);
}
inline std::string describe(std::chrono::system_clock::time_point t) {
  return std::to_string(
             std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count()) +
         " (unix seconds)";
}
template <class A, class B>
std::string describe(const std::pair<A, B>& p) {
  return "(" + describe(p.first) + ", " + describe(p.second) + ")";
}
template <class T>
std::string describe(const std::optional<T>& v) {
  return v ? describe(*v) : "(nil)";
}
template <class T>
std::string describe(const std::vector<T>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + describe(v[i]);
  return out + "]";
}
template <class K, class V>
std::string describe(const std::map<K, V>& m) {
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : m) {
    out += (first ? "" : ", ") + describe(k) + ": " + describe(v);
    first = false;
  }
  return out + "}";
}

inline void heading(std::string_view title) {
  std::cout << "\n== " << title << " ==\n";
}
inline void note(std::string_view text) {
  std::cout << "  # " << text << "\n";
}

template <class T>
void show(std::string_view call, const T& result) {
  std::cout << "  " << call << "  ->  " << describe(result) << "\n";
}
inline void show(std::string_view call) {
  std::cout << "  " << call << "  ->  done\n";
}

}  // namespace tour
