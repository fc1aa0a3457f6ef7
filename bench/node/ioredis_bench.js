#!/usr/bin/env node
// ioredis_bench.js: the ioredis peer of redwire-bench. Same commands, key names, key space,
// value size and JSON shape, so scripts/bench compares like with like.
//
//   node ioredis_bench.js [options] sequential      await each command: one in flight
//   node ioredis_bench.js [options] concurrent 128  128 async callers, enableAutoPipelining
//   node ioredis_bench.js [options] pipeline 100    redis.pipeline() of 100 commands, then exec()
//
// Options: --host H  -p PORT  -s SOCKET  -t SET|GET|INCR|LPUSH|MIXED|GENERIC  --generic "CMD ..."
//          -d VALUE_SIZE  -r KEYSPACE  -n REQUESTS  --duration SECONDS  --warmup N  --seed N
//          --json  --no-latency
//
// Keys are drawn from the same key space with a 32-bit xorshift (the C and C++ tools use a
// 64-bit one, which would need BigInt here): the same distribution, not the same sequence.
'use strict';

const { parseArgs } = require('node:util');
const { performance } = require('node:perf_hooks');
const Redis = require('ioredis');

const USAGE =
  'usage: node ioredis_bench.js [--host H] [-p PORT] [-s SOCKET] [-t COMMAND] [--generic CMD]\n' +
  '         [-d SIZE] [-r KEYSPACE] [-n REQUESTS] [--duration S] [--warmup N] [--seed N]\n' +
  '         [--json] [--no-latency]  sequential | concurrent N | pipeline P';

// ---- the same log-linear histogram as tools/bench/histogram.hpp (nanoseconds) ----
const SUB_BITS = 8;
const SUB = 1 << SUB_BITS;
const HALF = SUB / 2;
const MAX_BITS = 44;
const BUCKETS = (MAX_BITS - SUB_BITS) * HALF + SUB;

class LatencyHistogram {
  constructor() {
    this.counts = new Float64Array(BUCKETS);
    this.count = 0;
    this.sum = 0;
    this.max = 0;
  }
  static index(v) {
    if (v < SUB) return Math.floor(v);
    const msb = Math.floor(Math.log2(v));
    if (msb >= MAX_BITS) return BUCKETS - 1;
    const shift = msb - SUB_BITS + 1;
    return shift * HALF + Math.floor(v / 2 ** shift);
  }
  static highest(i) {
    if (i < SUB) return i;
    const shift = Math.floor((i - HALF) / HALF);
    const top = i - shift * HALF;
    return (top + 1) * 2 ** shift - 1;
  }
  record(ns) {
    const v = Math.max(0, Math.round(ns));
    this.counts[LatencyHistogram.index(v)]++;
    this.count++;
    this.sum += v;
    if (v > this.max) this.max = v;
  }
  percentile(p) {
    if (this.count === 0) return 0;
    const rank = Math.min(this.count, Math.max(1, Math.floor((p / 100) * this.count + 0.5)));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(LatencyHistogram.highest(i), this.max);
    }
    return this.max;
  }
}

// ---- the workload ----
class Workload {
  constructor(opts) {
    this.command = opts.command.toUpperCase();
    this.keyspace = opts.keyspace;
    this.value = 'x'.repeat(opts.valueSize);
    this.state = (opts.seed * 2654435761) >>> 0 || 1;
    this.generic = opts.generic ? opts.generic.split(/\s+/).filter(Boolean) : [];
    if (this.generic.length && this.command === 'SET') this.command = 'GENERIC';
    const known = ['SET', 'GET', 'INCR', 'LPUSH', 'MIXED', 'GENERIC'];
    if (!known.includes(this.command)) throw new Error(`unknown command '${opts.command}'`);
    if (this.command === 'GENERIC' && !this.generic.length) {
      throw new Error('GENERIC needs --generic "NAME ARGS..."');
    }
  }
  random() {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
  nextOp() {
    if (this.command !== 'MIXED') return this.command;
    const r = this.random() % 100;
    if (r < 70) return 'GET';
    if (r < 90) return 'SET';
    if (r < 95) return 'INCR';
    return 'LPUSH';
  }
  // key:N with 12 zero-padded digits, made per command as the other tools make theirs.
  key(prefix) {
    return prefix + String(this.random() % this.keyspace).padStart(12, '0');
  }
  // Queues one command on `target` (the client, or a pipeline) and returns what it returns.
  issue(target) {
    const op = this.nextOp();
    switch (op) {
      case 'SET': return target.set(this.key('key:'), this.value);
      case 'GET': return target.get(this.key('key:'));
      case 'INCR': return target.incr(this.key('counter:'));
      case 'LPUSH': return target.lpush(this.key('list:'), this.value);
      default: {
        const key = this.key('key:');
        const args = this.generic.slice(1).map((a) =>
          a === '__key__' ? key : a === '__value__' ? this.value : a);
        return target.call(this.generic[0], ...args);
      }
    }
  }
  label() {
    return this.command === 'GENERIC' ? this.generic[0].toUpperCase() : this.command;
  }
}

// ---- the budget: a request count, or a deadline ----
class Budget {
  constructor(requests, seconds) {
    this.limit = requests;
    this.deadline = performance.now() + seconds * 1000;
    this.taken = 0;
    this.stopped = false;
  }
  take(n = 1) {
    if (this.stopped) return 0;
    if (this.limit > 0) {
      const k = Math.min(n, this.limit - this.taken);
      this.taken += k;
      return k;
    }
    if (performance.now() >= this.deadline) {
      this.stopped = true;
      return 0;
    }
    this.taken += n;
    return n;
  }
}

// ---- the modes ----
async function caller(redis, w, budget, stats) {
  while (budget.take()) {
    const t0 = stats.latency ? performance.now() : 0;
    try {
      await w.issue(redis);
      if (stats.latency) stats.latency.record((performance.now() - t0) * 1e6);
    } catch (e) {
      stats.fail(e);
    }
  }
}

async function pipelined(redis, w, budget, depth, stats) {
  for (let n = budget.take(depth); n > 0; n = budget.take(depth)) {
    const t0 = stats.latency ? performance.now() : 0;
    const p = redis.pipeline();
    for (let k = 0; k < n; k++) w.issue(p);
    let results;
    try {
      results = await p.exec();
    } catch (e) {
      stats.fail(e);
      continue;
    }
    const ns = stats.latency ? (performance.now() - t0) * 1e6 : 0;
    for (const [err] of results) {
      if (err) stats.fail(err);
      else if (stats.latency) stats.latency.record(ns);
    }
  }
}

async function phase(redis, w, mode, depth, budget, stats) {
  if (mode === 'pipeline') return pipelined(redis, w, budget, depth, stats);
  const callers = mode === 'concurrent' ? depth : 1;
  const all = [];
  for (let i = 0; i < callers; i++) all.push(caller(redis, w, budget, stats));
  await Promise.all(all);
}

class Stats {
  constructor(measureLatency) {
    this.latency = measureLatency ? new LatencyHistogram() : null;
    this.errors = 0;
    this.firstError = '';
  }
  fail(e) {
    if (this.errors++ === 0) this.firstError = String(e && e.message ? e.message : e);
  }
}

function parse(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', short: 'p', default: '6379' },
      socket: { type: 'string', short: 's' },
      command: { type: 'string', short: 't', default: 'SET' },
      generic: { type: 'string' },
      'value-size': { type: 'string', short: 'd', default: '3' },
      keyspace: { type: 'string', short: 'r', default: '100000' },
      requests: { type: 'string', short: 'n', default: '0' },
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '-1' },
      seed: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
      'no-latency': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const mode = positionals[0];
  const depth = mode === 'sequential' ? 1 : Number(positionals[1]);
  if (values.help || !['sequential', 'concurrent', 'pipeline'].includes(mode) ||
      !(depth >= 1)) {
    throw new Error(USAGE);
  }
  return { ...values, mode, depth };
}

async function main() {
  let o;
  let w;
  try {
    o = parse(process.argv.slice(2));
    w = new Workload({
      command: o.command,
      generic: o.generic,
      valueSize: Number(o['value-size']),
      keyspace: Math.max(1, Number(o.keyspace)),
      seed: Number(o.seed),
    });
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  const redis = new Redis({
    host: o.host,
    port: Number(o.port),
    path: o.socket,
    lazyConnect: true,
    enableAutoPipelining: o.mode === 'concurrent',
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,  // report a dead server instead of reconnecting
  });
  redis.on('error', () => {});  // surfaces through the commands
  await redis.connect();

  const warmup = Number(o.warmup) >= 0 ? Number(o.warmup) : Math.max(1000, 20 * o.depth);
  if (warmup > 0) {
    await phase(redis, w, o.mode, o.depth, new Budget(warmup, 0), new Stats(false));
  }
  const stats = new Stats(!o['no-latency']);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const budget = new Budget(Number(o.requests), Number(o.duration));
  await phase(redis, w, o.mode, o.depth, budget, stats);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  redis.disconnect();

  const requests = budget.taken - stats.errors;
  const us = (ns) => ns / 1000;
  const h = stats.latency;
  const label = o.mode === 'sequential' ? 'sequential' : `${o.mode} ${o.depth}`;
  const result = {
    tool: 'ioredis',
    version: require('ioredis/package.json').version,
    command: w.label(),
    mode: o.mode,
    depth: o.depth,
    label,
    requests,
    errors: stats.errors,
    seconds,
    ops_per_sec: seconds > 0 ? requests / seconds : 0,
    latency_us: h && h.count ? {
      p50: us(h.percentile(50)),
      p99: us(h.percentile(99)),
      p999: us(h.percentile(99.9)),
      max: us(h.max),
      mean: us(h.sum / h.count),
    } : null,
    cpu_us_per_op: requests > 0 ? (cpu.user + cpu.system) / requests : 0,
    peak_rss_kb: process.resourceUsage().maxRSS,
    value_size: Number(o['value-size']),
    keyspace: w.keyspace,
  };
  if (stats.errors) result.first_error = stats.firstError;
  if (o.mode === 'concurrent') result.note = 'enableAutoPipelining';
  if (o.json) {
    console.log(JSON.stringify(result));
  } else {
    const f = (x) => (x === undefined ? '-' : x.toFixed(1));
    const lat = result.latency_us || {};
    console.log(`${result.command} ${label} (ioredis ${result.version}): ` +
      `${result.ops_per_sec.toFixed(0)} ops/s, p50 ${f(lat.p50)} us, p99 ${f(lat.p99)} us, ` +
      `p99.9 ${f(lat.p999)} us, max ${f(lat.max)} us, ` +
      `cpu ${result.cpu_us_per_op.toFixed(2)} us/op, rss ${result.peak_rss_kb} KiB, ` +
      `errors ${result.errors}`);
  }
  process.exitCode = requests > 0 ? 0 : 1;
}

main().catch((e) => {
  console.error(`ioredis_bench: ${e && e.message ? e.message : e}`);
  process.exit(1);
});
