// Umbrella header: includes only.
#pragma once

#include "redwire/client.hpp"
#include "redwire/command.hpp"
#include "redwire/config.hpp"
#include "redwire/convert.hpp"
#include "redwire/error.hpp"
#include "redwire/events.hpp"
#include "redwire/lease.hpp"
#include "redwire/options.hpp"
#include "redwire/pipeline.hpp"
#include "redwire/replies.hpp"
#include "redwire/script.hpp"
#include "redwire/sync_client.hpp"
#include "redwire/sync_pipeline.hpp"
#include "redwire/watch.hpp"
