// Options::key_prefix: every key argument of every command gets the prefix, found through the
// command table's key specifications (docs/commands.md, "Key prefix").
#pragma once

#include <string>
#include <string_view>

namespace redwire::detail {

/// Returns `payload` (one or more encoded commands back-to-back) with `prefix` put in front of
/// each key argument: the keys the key specs name (MSET's every other argument, EVAL/EVALSHA/
/// FCALL's numkeys keys, XREAD's STREAMS keys, OBJECT ENCODING's key, ...) and SORT's STORE
/// destination and BY/GET patterns (not GET #). Values, channels (including shard channels),
/// and KEYS / SCAN MATCH patterns are left alone. A payload that is not a sequence of RESP
/// arrays of bulk strings is returned unchanged.
std::string apply_key_prefix(std::string_view payload, std::string_view prefix);

}  // namespace redwire::detail
