// Redis Cluster: ClusterClient (async), SyncClusterClient (blocking), their pipelines and
// transactions, and the sans-io pieces they are made of (docs/cluster.md).
#pragma once

#include "redwire/cluster/cluster_client.hpp"
#include "redwire/cluster/cluster_options.hpp"
#include "redwire/cluster/cluster_pipeline.hpp"
#include "redwire/cluster/cluster_subscriber.hpp"
#include "redwire/cluster/crc16.hpp"
#include "redwire/cluster/node_address.hpp"
#include "redwire/cluster/redirect.hpp"
#include "redwire/cluster/redirect_policy.hpp"
#include "redwire/cluster/reply_merge.hpp"
#include "redwire/cluster/routing.hpp"
#include "redwire/cluster/slot_map.hpp"
#include "redwire/cluster/sync_cluster_client.hpp"
