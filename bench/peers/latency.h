/* The same log-linear latency histogram as redwire-bench's LatencyHistogram
 * (tools/bench/histogram.hpp), in C: exact below 256 ns, then 128 linear sub-buckets per power
 * of two (within 0.8%), up to 2^44 ns. */
#ifndef REDWIRE_BENCH_PEERS_LATENCY_H
#define REDWIRE_BENCH_PEERS_LATENCY_H

#include <stdint.h>

enum {
  LATENCY_SUB_BITS = 8,
  LATENCY_SUB = 1 << LATENCY_SUB_BITS,
  LATENCY_HALF = LATENCY_SUB / 2,
  LATENCY_MAX_BITS = 44,
  LATENCY_BUCKETS = (LATENCY_MAX_BITS - LATENCY_SUB_BITS) * LATENCY_HALF + LATENCY_SUB
};

struct latency_histogram {
  uint64_t counts[LATENCY_BUCKETS];
  uint64_t count, sum, max;
};

static inline unsigned latency_index(uint64_t v) {
  if (v < LATENCY_SUB) return (unsigned)v;
  unsigned msb = 63u - (unsigned)__builtin_clzll(v);
  if (msb >= LATENCY_MAX_BITS) return LATENCY_BUCKETS - 1;
  unsigned shift = msb - LATENCY_SUB_BITS + 1;
  return shift * LATENCY_HALF + (unsigned)(v >> shift);
}

static inline uint64_t latency_highest(unsigned i) {
  if (i < LATENCY_SUB) return i;
  uint64_t shift = (i - LATENCY_HALF) / LATENCY_HALF;
  uint64_t top = i - shift * LATENCY_HALF;
  return ((top + 1) << shift) - 1;
}

static inline void latency_record(struct latency_histogram* h, uint64_t ns) {
  h->counts[latency_index(ns)]++;
  h->count++;
  h->sum += ns;
  if (ns > h->max) h->max = ns;
}

/* Nanoseconds at or below which p percent of the samples fall (bucket's highest value). */
static inline double latency_percentile(const struct latency_histogram* h, double p) {
  if (!h->count) return 0;
  uint64_t rank = (uint64_t)(p / 100.0 * (double)h->count + 0.5);
  if (rank < 1) rank = 1;
  if (rank > h->count) rank = h->count;
  uint64_t seen = 0;
  for (unsigned i = 0; i < LATENCY_BUCKETS; ++i) {
    seen += h->counts[i];
    if (seen >= rank) {
      uint64_t v = latency_highest(i);
      return (double)(v < h->max ? v : h->max);
    }
  }
  return (double)h->max;
}

#endif
