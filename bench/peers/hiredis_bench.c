/* hiredis-bench: the hiredis peer of redwire-bench. Same commands, key names, key space, value
 * size, random key stream and JSON shape, so scripts/bench compares like with like.
 *
 *   hiredis-bench [options] sequential      redisAppendCommandArgv + redisGetReply: one in flight
 *   hiredis-bench [options] pipeline 100    100 x redisAppendCommandArgv, then 100 x redisGetReply
 *
 * Options: --host H  -p PORT  -s SOCKET  -t SET|GET|INCR|LPUSH|MIXED|GENERIC  --generic "CMD ..."
 *          -d VALUE_SIZE  -r KEYSPACE  -n REQUESTS  --duration SECONDS  --warmup N  --seed N
 *          --json  --no-latency
 *
 * The argv forms (binary-safe, no format-string parsing) are hiredis's fastest way to send a
 * command; the printf-style redisAppendCommand would only add formatting work. */
#define _GNU_SOURCE
#include <getopt.h>
#include <hiredis/hiredis.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "latency.h"

enum op { OP_SET, OP_GET, OP_INCR, OP_LPUSH, OP_GENERIC };
enum { MAX_GENERIC_ARGS = 32 };

struct config {
  const char* host;
  int port;
  const char* socket;
  const char* command;
  char* generic;
  size_t value_size;
  uint32_t keyspace;
  uint64_t requests;
  double duration;
  long long warmup;
  uint64_t seed;
  int json;
  int latency;
  int pipeline; /* 0: sequential; otherwise commands per pipeline */
};

struct workload {
  enum op fixed;
  int mixed;
  char key[32]; /* the current key, formatted on the fly as redwire-bench does */
  char* value;
  size_t value_size;
  uint32_t keyspace;
  uint64_t state;
  int generic_argc;
  char* generic_argv[MAX_GENERIC_ARGS];
};

struct stats {
  uint64_t requests, errors;
  char first_error[256];
  struct latency_histogram latency;
};

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static double cpu_seconds(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec / 1e6 + (double)u.ru_stime.tv_sec +
         (double)u.ru_stime.tv_usec / 1e6;
}

/* xorshift64*, seeded as redwire-bench seeds it: both tools draw the same keys. */
static uint64_t next_random(struct workload* w) {
  w->state ^= w->state >> 12;
  w->state ^= w->state << 25;
  w->state ^= w->state >> 27;
  return w->state * 0x2545F4914F6CDD1Dull;
}

static enum op next_op(struct workload* w) {
  if (!w->mixed) return w->fixed;
  uint64_t r = next_random(w) % 100;
  if (r < 70) return OP_GET;
  if (r < 90) return OP_SET;
  if (r < 95) return OP_INCR;
  return OP_LPUSH;
}

/* key:N / counter:N / list:N with 12 zero-padded digits (redis-benchmark's -r shape), written
 * into w->key: no table of keys, whose cache misses would be measured instead of the client. */
static size_t next_key(struct workload* w, const char* prefix, size_t prefix_len) {
  uint64_t n = next_random(w) % w->keyspace;
  memcpy(w->key, prefix, prefix_len);
  char* end = w->key + prefix_len + 12;
  for (char* p = end; p != w->key + prefix_len; n /= 10) *--p = (char)('0' + n % 10);
  return (size_t)(end - w->key);
}

static int workload_init(struct workload* w, const struct config* c) {
  memset(w, 0, sizeof *w);
  w->keyspace = c->keyspace;
  w->state = c->seed * 0x9E3779B97F4A7C15ull + 1;
  const char* cmd = c->command;
  if (!strcasecmp(cmd, "SET")) {
    w->fixed = OP_SET;
  } else if (!strcasecmp(cmd, "GET")) {
    w->fixed = OP_GET;
  } else if (!strcasecmp(cmd, "INCR")) {
    w->fixed = OP_INCR;
  } else if (!strcasecmp(cmd, "LPUSH")) {
    w->fixed = OP_LPUSH;
  } else if (!strcasecmp(cmd, "MIXED")) {
    w->mixed = 1;
  } else if (!strcasecmp(cmd, "GENERIC")) {
    w->fixed = OP_GENERIC;
    for (char* tok = strtok(c->generic ? c->generic : "", " ");
         tok && w->generic_argc < MAX_GENERIC_ARGS; tok = strtok(NULL, " ")) {
      w->generic_argv[w->generic_argc++] = tok;
    }
    if (w->generic_argc == 0) {
      fprintf(stderr, "hiredis-bench: GENERIC needs --generic \"NAME ARGS...\"\n");
      return -1;
    }
  } else {
    fprintf(stderr, "hiredis-bench: unknown command '%s'\n", cmd);
    return -1;
  }
  w->value_size = c->value_size;
  w->value = malloc(c->value_size + 1);
  memset(w->value, 'x', c->value_size);
  w->value[c->value_size] = '\0';
  return 0;
}

/* Appends one command of the mix to the context's output buffer. */
static void append_one(redisContext* ctx, struct workload* w) {
  const char* argv[MAX_GENERIC_ARGS];
  size_t len[MAX_GENERIC_ARGS];
  enum op op = next_op(w);
  size_t key_len = op == OP_INCR    ? next_key(w, "counter:", 8)
                   : op == OP_LPUSH ? next_key(w, "list:", 5)
                                    : next_key(w, "key:", 4);
  int argc = 0;
  switch (op) {
    case OP_SET:
      argv[0] = "SET", len[0] = 3;
      argv[1] = w->key, len[1] = key_len;
      argv[2] = w->value, len[2] = w->value_size;
      argc = 3;
      break;
    case OP_GET:
      argv[0] = "GET", len[0] = 3;
      argv[1] = w->key, len[1] = key_len;
      argc = 2;
      break;
    case OP_INCR:
      argv[0] = "INCR", len[0] = 4;
      argv[1] = w->key, len[1] = key_len;
      argc = 2;
      break;
    case OP_LPUSH:
      argv[0] = "LPUSH", len[0] = 5;
      argv[1] = w->key, len[1] = key_len;
      argv[2] = w->value, len[2] = w->value_size;
      argc = 3;
      break;
    case OP_GENERIC:
      for (argc = 0; argc < w->generic_argc; ++argc) {
        const char* a = w->generic_argv[argc];
        if (!strcmp(a, "__key__")) {
          argv[argc] = w->key, len[argc] = key_len;
        } else if (!strcmp(a, "__value__")) {
          argv[argc] = w->value, len[argc] = w->value_size;
        } else {
          argv[argc] = a, len[argc] = strlen(a);
        }
      }
      break;
  }
  redisAppendCommandArgv(ctx, argc, argv, len);
}

/* Reads one reply; returns -1 when the link failed. */
static int read_one(redisContext* ctx, struct stats* s) {
  redisReply* reply = NULL;
  if (redisGetReply(ctx, (void**)&reply) != REDIS_OK || !reply) {
    fprintf(stderr, "hiredis-bench: %s\n", ctx->errstr[0] ? ctx->errstr : "connection lost");
    return -1;
  }
  if (reply->type == REDIS_REPLY_ERROR) {
    if (s->errors++ == 0) snprintf(s->first_error, sizeof s->first_error, "%s", reply->str);
  } else {
    s->requests++;
  }
  freeReplyObject(reply);
  return 0;
}

/* Sends batches of `depth` commands (1: the synchronous loop) until the budget runs out. */
static int run_phase(redisContext* ctx, struct workload* w, const struct config* c, uint64_t limit,
                     double deadline, struct stats* s, int measure) {
  uint64_t sent = 0;
  const uint64_t depth = c->pipeline > 0 ? (uint64_t)c->pipeline : 1;
  while (limit ? sent < limit : now_seconds() < deadline) {
    uint64_t n = depth;
    if (limit && limit - sent < n) n = limit - sent;
    uint64_t t0 = measure && c->latency ? now_ns() : 0;
    for (uint64_t k = 0; k < n; ++k) append_one(ctx, w);
    for (uint64_t k = 0; k < n; ++k) {
      if (read_one(ctx, s) < 0) return -1;
      if (measure && c->latency) latency_record(&s->latency, now_ns() - t0);
    }
    sent += n;
  }
  return 0;
}

static void print_result(const struct config* c, const struct stats* s, double seconds,
                         double cpu) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  const char* mode = c->pipeline ? "pipeline" : "sequential";
  char label[64];
  if (c->pipeline) {
    snprintf(label, sizeof label, "pipeline %d", c->pipeline);
  } else {
    snprintf(label, sizeof label, "sequential");
  }
  double ops = seconds > 0 ? (double)s->requests / seconds : 0;
  double cpu_us = s->requests ? cpu * 1e6 / (double)s->requests : 0;
  const struct latency_histogram* h = &s->latency;
  if (!c->json) {
    printf("%-8s %-20s %12s %9s %9s %9s %9s %9s %9s\n", "command", "mode", "ops/s", "p50 us",
           "p99 us", "p99.9 us", "max us", "cpu us/op", "rss KiB");
    printf("%-8s %-20s %12.0f %9.1f %9.1f %9.1f %9.1f %9.2f %9ld\n", c->command, label, ops,
           latency_percentile(h, 50) / 1e3, latency_percentile(h, 99) / 1e3,
           latency_percentile(h, 99.9) / 1e3, (double)h->max / 1e3, cpu_us, u.ru_maxrss);
    if (s->errors)
      printf("errors: %llu (first: %s)\n", (unsigned long long)s->errors, s->first_error);
    return;
  }
  printf(
      "{\"tool\":\"hiredis\",\"version\":\"%d.%d.%d\",\"command\":\"%s\",\"mode\":\"%s\","
      "\"depth\":%d,\"label\":\"%s\",\"requests\":%llu,\"errors\":%llu,\"seconds\":%.6f,"
      "\"ops_per_sec\":%.3f,",
      HIREDIS_MAJOR, HIREDIS_MINOR, HIREDIS_PATCH, c->command, mode, c->pipeline ? c->pipeline : 1,
      label, (unsigned long long)s->requests, (unsigned long long)s->errors, seconds, ops);
  if (c->latency && h->count) {
    printf("\"latency_us\":{\"p50\":%.3f,\"p99\":%.3f,\"p999\":%.3f,\"max\":%.3f,\"mean\":%.3f},",
           latency_percentile(h, 50) / 1e3, latency_percentile(h, 99) / 1e3,
           latency_percentile(h, 99.9) / 1e3, (double)h->max / 1e3,
           (double)h->sum / (double)h->count / 1e3);
  } else {
    printf("\"latency_us\":null,");
  }
  printf("\"cpu_us_per_op\":%.4f,\"peak_rss_kb\":%ld,\"value_size\":%zu,\"keyspace\":%u}\n", cpu_us,
         u.ru_maxrss, c->value_size, c->keyspace);
}

static void usage(void) {
  fprintf(stderr,
          "usage: hiredis-bench [--host H] [-p PORT] [-s SOCKET] [-t COMMAND] [--generic CMD]\n"
          "                     [-d SIZE] [-r KEYSPACE] [-n REQUESTS] [--duration S]\n"
          "                     [--warmup N] [--seed N] [--json] [--no-latency]\n"
          "                     sequential | pipeline P\n");
}

static int parse_args(int argc, char** argv, struct config* c) {
  static const struct option longs[] = {{"host", required_argument, 0, 'H'},
                                        {"port", required_argument, 0, 'p'},
                                        {"socket", required_argument, 0, 's'},
                                        {"command", required_argument, 0, 't'},
                                        {"generic", required_argument, 0, 'g'},
                                        {"value-size", required_argument, 0, 'd'},
                                        {"keyspace", required_argument, 0, 'r'},
                                        {"requests", required_argument, 0, 'n'},
                                        {"duration", required_argument, 0, 'D'},
                                        {"warmup", required_argument, 0, 'W'},
                                        {"seed", required_argument, 0, 'S'},
                                        {"json", no_argument, 0, 'j'},
                                        {"no-latency", no_argument, 0, 'L'},
                                        {"help", no_argument, 0, 'h'},
                                        {0, 0, 0, 0}};
  int ch;
  while ((ch = getopt_long(argc, argv, "p:s:t:d:r:n:h", longs, NULL)) != -1) {
    switch (ch) {
      case 'H':
        c->host = optarg;
        break;
      case 'p':
        c->port = atoi(optarg);
        break;
      case 's':
        c->socket = optarg;
        break;
      case 't':
        c->command = optarg;
        break;
      case 'g':
        c->generic = optarg;
        c->command = "GENERIC";
        break;
      case 'd':
        c->value_size = (size_t)strtoull(optarg, NULL, 10);
        break;
      case 'r':
        c->keyspace = (uint32_t)strtoul(optarg, NULL, 10);
        break;
      case 'n':
        c->requests = strtoull(optarg, NULL, 10);
        break;
      case 'D':
        c->duration = atof(optarg);
        break;
      case 'W':
        c->warmup = atoll(optarg);
        break;
      case 'S':
        c->seed = strtoull(optarg, NULL, 10);
        break;
      case 'j':
        c->json = 1;
        break;
      case 'L':
        c->latency = 0;
        break;
      default:
        usage();
        return -1;
    }
  }
  if (optind < argc && !strcmp(argv[optind], "sequential")) {
    c->pipeline = 0;
  } else if (optind + 1 < argc && !strcmp(argv[optind], "pipeline")) {
    c->pipeline = atoi(argv[optind + 1]);
    if (c->pipeline < 1) {
      usage();
      return -1;
    }
  } else {
    usage();
    return -1;
  }
  if (c->keyspace == 0) c->keyspace = 1;
  return 0;
}

int main(int argc, char** argv) {
  struct config c = {"127.0.0.1", 6379, NULL, "SET", NULL, 3, 100000, 0, 5.0, -1, 1, 0, 1, 0};
  if (parse_args(argc, argv, &c) < 0) return 2;
  struct workload w;
  if (workload_init(&w, &c) < 0) return 2;

  redisContext* ctx = c.socket ? redisConnectUnix(c.socket) : redisConnect(c.host, c.port);
  if (!ctx || ctx->err) {
    fprintf(stderr, "hiredis-bench: connect: %s\n", ctx ? ctx->errstr : "out of memory");
    return 1;
  }
  static struct stats warm, s; /* static: the histograms are large */
  uint64_t warmup = c.warmup >= 0 ? (uint64_t)c.warmup
                                  : (uint64_t)(c.pipeline * 20 > 1000 ? c.pipeline * 20 : 1000);
  if (warmup && run_phase(ctx, &w, &c, warmup, 0, &warm, 0) < 0) return 1;

  const double cpu0 = cpu_seconds();
  const double t0 = now_seconds();
  int rc = run_phase(ctx, &w, &c, c.requests, t0 + c.duration, &s, 1);
  const double seconds = now_seconds() - t0;
  const double cpu = cpu_seconds() - cpu0;
  redisFree(ctx);
  if (rc < 0) return 1;
  print_result(&c, &s, seconds, cpu);
  return s.requests ? 0 : 1;
}
