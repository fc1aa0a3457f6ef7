// The locks' Lua scripts. Key and value scheme of node-redlock (v4 and v5): the key is the
// resource name as given, the value 16 random bytes in hex; acquire refuses if any key exists,
// extend and release touch only keys still holding the caller's value. So redwire and Node.js
// services locking the same resources on the same servers exclude each other.
#pragma once

#include "redwire/script.hpp"

namespace redwire::patterns::detail {

/// KEYS: resources. ARGV: value, ttl ms. All-or-nothing on this instance: 0 if any key exists,
/// else every key is SET value PX ttl and the number of keys is returned.
const Script& acquire_script();
/// As acquire_script, with fencing. KEYS: resources, then one fence counter per resource.
/// ARGV: value, ttl ms, number of resources. Returns {0} or {n, INCR of each counter...}.
const Script& fenced_acquire_script();
/// KEYS: resources. ARGV: value, ttl ms. 0 if any key does not hold value, else every key is
/// PEXPIREd to ttl and the number of keys is returned.
const Script& extend_script();
/// KEYS: resources. ARGV: value. Deletes the keys holding value; returns how many.
const Script& release_script();
/// KEYS: fence counters. ARGV: one token per counter. Raises each counter to at least its token
/// (never lowers it), so that a later holder's INCR on any quorum returns more.
const Script& raise_fence_script();

}  // namespace redwire::patterns::detail
