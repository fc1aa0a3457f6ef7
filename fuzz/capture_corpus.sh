#!/usr/bin/env bash
# Regenerates the fuzz seed corpus in fuzz/corpus/{parser,encoder}.
#
#   fuzz/capture_corpus.sh [REDIS_SERVER_BINARY]
#
# Parser seeds named real-* are raw reply bytes CAPTURED FROM A REAL redis-server: the script
# starts a throwaway server (free port, temp dir, no persistence, DEBUG enabled for loopback),
# talks to it over a plain TCP socket (HELLO 3 for RESP3, no HELLO for RESP2), and saves exactly
# the bytes each command got back - including `DEBUG PROTOCOL <type>` for every RESP3 type, an
# attribute before a reply, and a client-tracking invalidation push arriving between pipelined
# replies. Seeds named hostile-* are written by hand: what a broken or malicious peer could send
# (FAULTS.md, "Parser limits and fuzzing"). Encoder seeds use fuzz_encoder's input format.
# The server is stopped (by its PID) when the script exits. Not run in CI: the corpus is
# checked in; rerun this after a Redis upgrade.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
server="${1:-redis-server}"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$server" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
  --enable-debug-command local --logfile "$work/redis.log" &
server_pid=$!
for _ in $(seq 50); do
  if python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.1)" 2>/dev/null; then break; fi
  sleep 0.1
done

mkdir -p "$here/corpus/parser" "$here/corpus/encoder"
PORT="$port" OUT="$here/corpus" python3 - <<'PY'
import os, socket, struct, time

port = int(os.environ["PORT"])
out = os.environ["OUT"]
parser_dir = os.path.join(out, "parser")
encoder_dir = os.path.join(out, "encoder")


def encode(*args):
    parts = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(parts)


class Conn:
    def __init__(self, resp3):
        self.s = socket.create_connection(("127.0.0.1", port))
        if resp3:
            self.hello = self.run(("HELLO", "3"))

    def read_quiet(self, idle=0.15):
        # Reads until the server has been quiet for `idle` seconds (loopback: replies are instant).
        data = b""
        self.s.settimeout(idle)
        while True:
            try:
                chunk = self.s.recv(65536)
            except socket.timeout:
                return data
            if not chunk:
                return data
            data += chunk

    def run(self, *commands):
        self.s.sendall(b"".join(encode(*c) for c in commands))
        return self.read_quiet()


def save(directory, name, data):
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


# ---- RESP3 replies from the server ----
c3 = Conn(resp3=True)
save(parser_dir, "real-resp3-hello-map", c3.hello)
for t in ["string", "integer", "double", "bignum", "null", "array", "set", "map", "attrib",
          "push", "verbatim", "true", "false"]:
    save(parser_dir, "real-resp3-debug-protocol-" + t, c3.run(("DEBUG", "PROTOCOL", t)))
c3.run(("FLUSHALL",))
setup = [("SET", "k", "v"), ("HSET", "h", "f1", "v1", "f2", "v2"), ("SADD", "s", "a", "b"),
         ("ZADD", "z", "inf", "top", "-inf", "bottom", "1.5", "mid"), ("LPUSH", "l", "x", "y"),
         ("XADD", "st", "1-1", "field", "value"), ("SET", "big", "x" * 1024)]
for cmd in setup:
    c3.run(cmd)
resp3 = {
    "simple-string-pong": [("PING",)],
    "bulk": [("GET", "k")],
    "bulk-1k": [("GET", "big")],
    "null-get-missing": [("GET", "missing")],
    "null-blpop-timeout": [("BLPOP", "missing", "0.01")],
    "integer": [("INCR", "counter")],
    "error-unknown-command": [("NOSUCHCOMMAND", "x")],
    "error-wrongtype": [("GET", "l")],
    "double-inf": [("ZSCORE", "z", "top")],
    "double-minus-inf": [("ZSCORE", "z", "bottom")],
    "double-zincrby": [("ZINCRBY", "z", "0.25", "mid")],
    "map-hgetall": [("HGETALL", "h")],
    "map-config-get": [("CONFIG", "GET", "maxmemory*")],
    "set-smembers": [("SMEMBERS", "s")],
    "array-of-pairs-zrange-withscores": [("ZRANGE", "z", "0", "-1", "WITHSCORES")],
    "nested-xrange": [("XRANGE", "st", "-", "+")],
    "nested-xinfo-stream": [("XINFO", "STREAM", "st")],
    "nested-command-info": [("COMMAND", "INFO", "get", "set")],
    "verbatim-client-info": [("CLIENT", "INFO")],
    "empty-array": [("LRANGE", "missing", "0", "-1")],
    "empty-map": [("HGETALL", "missing")],
    "empty-set": [("SMEMBERS", "missing")],
    "exec-with-error": [("MULTI",), ("INCR", "counter"), ("INCR", "l"), ("EXEC",)],
    "pipeline-mixed": [("PING",), ("GET", "k"), ("GET", "missing"), ("INCR", "counter"),
                       ("HGETALL", "h"), ("ZSCORE", "z", "top"), ("NOSUCHCOMMAND",)],
}
for name, cmds in resp3.items():
    save(parser_dir, "real-resp3-" + name, c3.run(*cmds))

# A tracking invalidation push between pipelined replies: GET tracks the key, our own SET
# invalidates it, the push arrives in the middle of the pipeline.
c3.run(("CLIENT", "TRACKING", "on"))
save(parser_dir, "real-resp3-push-between-pipelined-replies",
     c3.run(("GET", "tracked"), ("SET", "tracked", "1"), ("PING",), ("GET", "k")))
# Pub/Sub pushes: subscribe confirmation, then a message published from another connection.
sub = Conn(resp3=True)
sub.run(("SUBSCRIBE", "ch"))
Conn(resp3=True).run(("PUBLISH", "ch", "hello\r\nworld"))
save(parser_dir, "real-resp3-push-pubsub-message", sub.read_quiet())
save(parser_dir, "real-resp3-push-subscribe", Conn(resp3=True).run(("SUBSCRIBE", "a", "b")))

# ---- RESP2 replies ----
c2 = Conn(resp3=False)
resp2 = {
    "null-bulk": [("GET", "missing")],
    "null-array-blpop-timeout": [("BLPOP", "missing", "0.01")],
    "flat-hgetall": [("HGETALL", "h")],
    "flat-zrange-withscores-inf": [("ZRANGE", "z", "0", "-1", "WITHSCORES")],
    "bulk-zscore-inf": [("ZSCORE", "z", "top")],
    "nested-xrange": [("XRANGE", "st", "-", "+")],
    "pipeline-mixed": [("PING",), ("SET", "k", "v2"), ("GET", "k"), ("GET", "missing"),
                       ("INCR", "counter"), ("LRANGE", "l", "0", "-1"), ("GET", "l")],
    "subscribe": [("SUBSCRIBE", "ch2")],
}
for name, cmds in resp2.items():
    save(parser_dir, "real-resp2-" + name, c2.run(*cmds))

# ---- Hostile and edge-case seeds, written by hand ----
def nested(depth):
    return b"*1\r\n" * depth + b":1\r\n"

hostile = {
    "length-minus-2-bulk": b"$-2\r\n",
    "length-minus-2-array": b"*-2\r\n",
    "length-minus-1-bulk": b"$-1\r\n",
    "length-minus-1-array": b"*-1\r\n",
    "length-minus-1-map": b"%-1\r\n",
    "length-0": b"$0\r\n\r\n*0\r\n",
    "length-leading-zeros": b"$03\r\nfoo\r\n",
    "length-plus-sign": b"$+3\r\nfoo\r\n",
    "length-llong-max-bulk": b"$9223372036854775807\r\n",
    "length-llong-max-array": b"*9223372036854775807\r\n",
    "length-size-max-plus-1": b"$18446744073709551616\r\n",
    "length-bulk-over-512mib": b"$536870913\r\n",
    "lf-only": b"+OK\n:1\n",
    "lf-only-bulk": b"$3\nfoo\n",
    "depth-511": nested(511),
    "depth-512": nested(512),
    "depth-513": nested(513),
    "map-count-2-pow-62": b"%4611686018427387904\r\n",
    "doubles": b",inf\r\n,-inf\r\n,nan\r\n,1e400\r\n,-1e-400\r\n,.5\r\n",
    "double-malformed": b",1.2.3\r\n",
    "push-between-pipelined-replies":
        b"+OK\r\n>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n:1\r\n",
    "attribute-before-reply":
        b"|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n"
        b"*2\r\n:2039123\r\n:9543892\r\n",
    "attribute-inside-array": b"*2\r\n|1\r\n+ttl\r\n:3600\r\n+a\r\n+b\r\n",
    "blob-error": b"!21\r\nSYNTAX invalid syntax\r\n",
    "big-number-negative": b"(-3492890328409238509324850943850943825024385\r\n",
    "verbatim-bad-prefix": b"=3\r\ntxt\r\n",
    "ampersand": b"&\r\n",
    "http-response": b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
    "integer-overflow": b":9223372036854775808\r\n",
    "bulk-missing-crlf": b"$3\r\nfooXY",
    "truncated-pipeline": b"*3\r\n$3\r\nfoo\r\n:1\r\n$5\r\nhel",
}
for name, data in hostile.items():
    save(parser_dir, "hostile-" + name, data)

# ---- Encoder seeds (fuzz_encoder's format) ----
def s(b):
    return b"\x00" + bytes([len(b)]) + b

def i64(v):
    return b"\x01" + struct.pack("<q", v)

def u64(v):
    return b"\x02" + struct.pack("<Q", v)

def dbl(v):
    return b"\x03" + struct.pack("<d", v)

def vec(*items):
    return b"\x04" + bytes([len(items)]) + b"".join(bytes([len(x)]) + x for x in items)

encoder = {
    "set-key-value": s(b"SET") + s(b"key") + s(b"value"),
    "crlf-and-nul": s(b"SET") + s(b"a\r\nb") + s(b"\x00\r\n\x00"),
    "all-bytes": s(b"SET") + s(bytes(range(255))) + s(bytes(range(1, 256))),
    "empty-args": s(b"") + s(b"") + vec(),
    "integers": s(b"INCRBY") + i64(-2**63) + i64(2**63 - 1) + i64(-1) + u64(2**64 - 1) + u64(0),
    "doubles": s(b"ZADD") + dbl(float("inf")) + dbl(float("-inf")) + dbl(float("nan"))
               + dbl(-0.0) + dbl(1e300) + dbl(0.1) + dbl(5e-324),
    "vectors": s(b"DEL") + vec(b"a", b"b", b"c") + vec(b"\r\n", b"*1\r\n$1\r\nx\r\n"),
    "resp-lookalike": s(b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n") + s(b"$-1\r\n"),
}
for name, data in encoder.items():
    save(encoder_dir, name, data)
PY
echo "corpus written to $here/corpus (server on port $port)"
