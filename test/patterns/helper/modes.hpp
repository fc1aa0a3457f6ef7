// The helper's modes; each returns the process exit code.
#pragma once

#include <string>
#include <vector>

namespace helper {

/// Threads of this process call Cache::get_or_load on one key at one wall-clock instant; the
/// loader counts itself (here and with INCR stampede:loads) and takes <load_ms>. Prints
/// "loads=N ok=M".
int cache_stampede(const std::vector<std::string>& args);

/// Acquires a Redlock (fencing on, auto-extension on) and works until told it lost the lock,
/// then tries a fenced write. Prints ACQUIRED <token>, LOST <reason>, WRITE accepted|rejected.
int redlock_holder(const std::vector<std::string>& args);

}  // namespace helper
