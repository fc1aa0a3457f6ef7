#include "redwire/script.hpp"

#include <openssl/sha.h>

#include <cstdio>

#include "redwire/arguments.hpp"

namespace redwire {

Script::Script(std::string source, bool read_only)
    : source_(std::move(source)), read_only_(read_only) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(source_.data()), source_.size(), digest);
  sha1_.reserve(2 * SHA_DIGEST_LENGTH);
  for (unsigned char b : digest) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", b);
    sha1_ += hex;
  }
}

Command Script::evalsha(const StringList& keys, const ScriptArgs& args) const {
  return Command(read_only_ ? "EVALSHA_RO" : "EVALSHA", sha1_, keys.size(), keys, args);
}

Command Script::eval(const StringList& keys, const ScriptArgs& args) const {
  return Command(read_only_ ? "EVAL_RO" : "EVAL", source_, keys.size(), keys, args);
}

}  // namespace redwire
