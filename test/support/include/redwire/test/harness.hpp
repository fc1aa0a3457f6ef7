// Umbrella header of the test harness (includes only). See docs/testing.md.
#pragma once

#include "redwire/test/child_process.hpp"
#include "redwire/test/cluster_topology.hpp"
#include "redwire/test/fault_proxy.hpp"
#include "redwire/test/ports.hpp"
#include "redwire/test/raw_connection.hpp"
#include "redwire/test/redis_server.hpp"
#include "redwire/test/sentinel_topology.hpp"
#include "redwire/test/server_log_journal.hpp"
#include "redwire/test/temp_dir.hpp"
#include "redwire/test/tls_certificates.hpp"
#include "redwire/test/wait.hpp"
