#!/usr/bin/env python3
"""Generates redwire's command table from the server's own description of its commands.

    tools/gen_commands/gen_commands.py --capture   # start a throwaway redis-server, save its
                                                   # COMMAND INFO / COMMAND DOCS as JSON here
    tools/gen_commands/gen_commands.py             # JSON here -> src/generated/command_table.cpp

The captured JSON (command_info.json, command_docs.json) is checked in, so regenerating needs no
server; capture again when moving to a new Redis version. The output is plain C++ data, formatted
with clang-format when it is installed. See docs/commands.md.

Flags are the server's, with four client-side readings spelled out below (CLIENT_READONLY,
CLIENT_MAY_WRITE, CONNECTION_STATE, SUBSCRIBE_FAMILY); each has a reason next to it.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
INFO_JSON = os.path.join(HERE, "command_info.json")
DOCS_JSON = os.path.join(HERE, "command_docs.json")
OUTPUT = os.path.join(ROOT, "src", "generated", "command_table.cpp")

# Server flag -> CommandFlag. "readonly" and "write" are handled separately (see below).
SERVER_FLAGS = {
    "blocking": "cmd_blocking",
    "admin": "cmd_admin",
    "noscript": "cmd_noscript",
    "fast": "cmd_fast",
    "denyoom": "cmd_denyoom",
    "movablekeys": "cmd_movablekeys",
    "loading": "cmd_loading",
    "stale": "cmd_stale",
    "no_multi": "cmd_no_multi",
    "allow_busy": "cmd_allow_busy",
    "no_auth": "cmd_no_auth",
    "skip_monitor": "cmd_skip_monitor",
    "no_mandatory_keys": "cmd_no_mandatory_keys",
    "pubsub": "cmd_pubsub_server",
}
# Server flags with no client meaning.
IGNORED_FLAGS = {"no_async_loading", "skip_slowlog", "asking", "may_replicate", "sentinel",
                 "only_sentinel"}

# The server flags "readonly" only for commands that read keys. These others change neither data
# nor the connection's state either, so they are as safe to resend after a lost reply (and to
# send to a replica): introspection and pure functions.
CLIENT_READONLY = {
    "ping", "echo", "time", "info", "lastsave", "role", "lolwut",
    "command", "command|count", "command|docs", "command|getkeys", "command|getkeysandflags",
    "command|info", "command|list",
    "config|get",
    "client|id", "client|list", "client|info", "client|getname", "client|getredir",
    "client|trackinginfo",
    "slowlog|get", "slowlog|len",
    "latency|latest", "latency|history", "latency|doctor", "latency|graph", "latency|histogram",
    "memory|stats", "memory|doctor", "memory|malloc-stats",
    "script|exists", "function|list", "function|dump", "function|stats",
    "pubsub|channels", "pubsub|numpat", "pubsub|numsub", "pubsub|shardchannels",
    "pubsub|shardnumsub",
    "acl|cat", "acl|whoami", "acl|users", "acl|list", "acl|getuser", "acl|genpass", "acl|dryrun",
    "cluster|info", "cluster|nodes", "cluster|slots", "cluster|shards", "cluster|myid",
    "cluster|keyslot", "cluster|countkeysinslot", "cluster|getkeysinslot", "cluster|links",
    "cluster|replicas", "cluster|slaves", "cluster|count-failure-reports",
    "module|list",
}
# Scripts and functions: the server decides per script (shebang flags); the client must assume
# the worst.
CLIENT_MAY_WRITE = {"eval", "evalsha", "fcall"}
# Commands that change the state of the connection they run on; on a link shared by many
# callers they would affect everybody (docs/commands.md, "Not offered as typed methods").
CONNECTION_STATE = {
    "select", "multi", "exec", "discard", "watch", "unwatch", "reset", "monitor", "auth",
    "hello", "quit", "client|reply", "client|tracking", "client|caching", "readonly",
    "readwrite", "asking",
    "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe",
}
# cmd_pubsub: the commands that put a link into (or take it out of) subscriber mode.
SUBSCRIBE_FAMILY = {"subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe",
                    "sunsubscribe"}

KEY_FLAGS = {
    "RO": "key_ro", "RW": "key_rw", "OW": "key_ow", "RM": "key_rm", "access": "key_access",
    "update": "key_update", "insert": "key_insert", "delete": "key_delete",
    "not_key": "key_not_key", "incomplete": "key_incomplete",
    "variable_flags": "key_variable_flags",
}

GROUPS = {
    "bitmap": "bitmap", "cluster": "cluster", "connection": "connection", "generic": "generic",
    "geo": "geo", "hash": "hash", "hyperloglog": "hyperloglog", "list": "list",
    "pubsub": "pubsub", "scripting": "scripting", "sentinel": "sentinel", "server": "server",
    "set": "set", "sorted-set": "sorted_set", "stream": "stream", "string": "string",
    "transactions": "transactions",
}


# ---------------------------------------------------------------------------------- capture
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def capture():
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", tmp],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            cli = ["redis-cli", "-h", "127.0.0.1", "-p", str(port), "-3", "--json"]
            for _ in range(100):
                if subprocess.run(cli + ["PING"], capture_output=True).returncode == 0:
                    break
                time.sleep(0.05)
            version = subprocess.run(["redis-cli", "-p", str(port), "INFO", "server"],
                                     capture_output=True, text=True, check=True).stdout
            version = next(line.split(":", 1)[1].strip() for line in version.splitlines()
                           if line.startswith("redis_version:"))
            info = json.loads(subprocess.run(cli + ["COMMAND", "INFO"], capture_output=True,
                                             text=True, check=True).stdout)
            docs = json.loads(subprocess.run(cli + ["COMMAND", "DOCS"], capture_output=True,
                                             text=True, check=True).stdout)
        finally:
            server.terminate()
            server.wait(timeout=10)

    def sort_info(entry):
        entry[9] = sorted((sort_info(s) for s in entry[9]), key=lambda e: e[0])
        return entry

    info = sorted((sort_info(e) for e in info), key=lambda e: e[0])
    with open(INFO_JSON, "w") as f:
        json.dump({"redis_version": version, "commands": info}, f, indent=1, sort_keys=True)
        f.write("\n")
    with open(DOCS_JSON, "w") as f:
        json.dump({"redis_version": version, "commands": docs}, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"captured {len(info)} commands from redis {version}")


# --------------------------------------------------------------------------------- generate
def ident(name):
    return name.upper().replace("|", "_").replace("-", "_")


def command_flags(name, server_flags, doc):
    flags = []
    unknown = set(server_flags) - set(SERVER_FLAGS) - IGNORED_FLAGS - {"readonly", "write"}
    if unknown:
        print(f"warning: {name}: unmapped server flags {sorted(unknown)}", file=sys.stderr)
    if "readonly" in server_flags or name in CLIENT_READONLY or name.endswith("|help"):
        flags.append("cmd_readonly")
    if "write" in server_flags or name in CLIENT_MAY_WRITE:
        flags.append("cmd_write")
    if name in SUBSCRIBE_FAMILY:
        flags.append("cmd_pubsub")
    if name in CONNECTION_STATE:
        flags.append("cmd_connection_state")
    flags += [SERVER_FLAGS[f] for f in server_flags if f in SERVER_FLAGS and f not in IGNORED_FLAGS]
    doc_flags = doc.get("doc_flags", [])
    if "deprecated" in doc_flags:
        flags.append("cmd_deprecated")
    if "syscmd" in doc_flags:
        flags.append("cmd_syscmd")
    order = ["cmd_readonly", "cmd_write", "cmd_blocking", "cmd_pubsub", "cmd_connection_state",
             "cmd_admin", "cmd_noscript", "cmd_fast", "cmd_denyoom", "cmd_movablekeys",
             "cmd_loading", "cmd_stale", "cmd_no_multi", "cmd_allow_busy", "cmd_no_auth",
             "cmd_skip_monitor", "cmd_no_mandatory_keys", "cmd_pubsub_server", "cmd_deprecated",
             "cmd_syscmd"]
    flags = sorted(set(flags), key=order.index)
    return " | ".join(flags) if flags else "0"


def key_spec(name, spec):
    kflags = [KEY_FLAGS[f] for f in spec["flags"] if f in KEY_FLAGS]
    unknown = set(spec["flags"]) - set(KEY_FLAGS)
    if unknown:
        print(f"warning: {name}: unmapped key flags {sorted(unknown)}", file=sys.stderr)
    flags = " | ".join(kflags) if kflags else "0"
    bs, fk = spec["begin_search"], spec["find_keys"]
    if bs["type"] == "unknown" or fk["type"] == "unknown":
        return f"unknown_keys({flags})"
    if bs["type"] == "index":
        begin, where = "index", [str(bs["spec"]["index"])]
    else:
        begin, where = "keyword", [f'"{bs["spec"]["keyword"]}"', str(bs["spec"]["startfrom"])]
    s = fk["spec"]
    if fk["type"] == "range":
        find, how = "range", [s["lastkey"], s["keystep"], s["limit"]]
    else:
        find, how = "keynum", [s["keynumidx"], s["firstkey"], s["keystep"]]
    return f"{begin}_{find}({', '.join([flags] + where + [str(x) for x in how])})"


def generate():
    with open(INFO_JSON) as f:
        info = json.load(f)
    with open(DOCS_JSON) as f:
        docs = json.load(f)
    version = info["redis_version"]
    doc_of = {}
    for name, doc in docs["commands"].items():
        doc_of[name] = doc
        for sub, sdoc in doc.get("subcommands", {}).items():
            doc_of[sub] = sdoc

    key_arrays, sub_arrays = [], []
    counts = {"commands": 0, "subcommands": 0}

    def entry(cmd):
        name, arity, server_flags, specs, subs = cmd[0], cmd[1], cmd[2], cmd[8], cmd[9]
        doc = doc_of.get(name, {})
        group = GROUPS[doc.get("group", "server")]
        keys = "nullptr, 0"
        if specs:
            array = "kKeys_" + ident(name)
            key_arrays.append(f"constexpr KeySpec {array}[] = {{\n" +
                              "".join(f"    {key_spec(name, s)},\n" for s in specs) + "};\n")
            keys = f"{array}, {len(specs)}"
        children = "nullptr, 0"
        if subs:
            array = "kSub_" + ident(name)
            rows = [entry(s) for s in sorted(subs, key=lambda s: s[0].upper())]
            counts["subcommands"] += len(subs)
            sub_arrays.append(f"constexpr CommandInfo {array}[] = {{\n" +
                              "".join(f"    {r},\n" for r in rows) + "};\n")
            children = f"{array}, {len(subs)}"
        return (f'{{"{name.upper()}", {arity}, {command_flags(name, server_flags, doc)}, '
                f"CommandGroup::{group}, {keys}, {children}}}")

    rows = []
    for cmd in sorted(info["commands"], key=lambda c: c[0].upper()):
        rows.append(entry(cmd))
        counts["commands"] += 1

    out = [
        f"// Generated by tools/gen_commands/gen_commands.py from Redis {version}'s COMMAND INFO",
        "// and COMMAND DOCS (tools/gen_commands/*.json). Do not edit: see docs/commands.md.",
        f"// {counts['commands']} commands, {counts['subcommands']} subcommands.",
        "#include \"redwire/command_info.hpp\"",
        "",
        "namespace redwire {",
        "namespace {",
        "",
        "// Key specifications, as the server describes them (docs/commands.md, \"Keys\"):",
        "//   index_range(flags, index, lastkey, keystep, limit)",
        "//   index_keynum(flags, index, keynumidx, firstkey, keystep)",
        "//   keyword_range(flags, keyword, startfrom, lastkey, keystep, limit)",
        "//   keyword_keynum(flags, keyword, startfrom, keynumidx, firstkey, keystep)",
        "//   unknown_keys(flags): the client finds them by hand (SORT)",
        "[[maybe_unused]] constexpr auto index_range = KeySpec::index_range;",
        "[[maybe_unused]] constexpr auto index_keynum = KeySpec::index_keynum;",
        "[[maybe_unused]] constexpr auto keyword_range = KeySpec::keyword_range;",
        "[[maybe_unused]] constexpr auto keyword_keynum = KeySpec::keyword_keynum;",
        "[[maybe_unused]] constexpr auto unknown_keys = KeySpec::unknown_keys;",
        "",
        "// ---- key specifications",
        "",
        *key_arrays,
        "// ---- subcommands",
        "",
        *sub_arrays,
        "// ---- commands: name, arity, flags, group, key specs, subcommands",
        "",
        "constexpr CommandInfo kCommands[] = {",
        *(f"    {r}," for r in rows),
        "};",
        "",
        "}  // namespace",
        "",
        "std::span<const CommandInfo> command_table() noexcept { return kCommands; }",
        "",
        "}  // namespace redwire",
        "",
    ]
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w") as f:
        f.write("\n".join(out))
    formatter = shutil.which("clang-format")
    if formatter:
        subprocess.run([formatter, "-i", "--style=file", OUTPUT], check=True, cwd=ROOT)
    else:
        print("note: clang-format not found; output left unformatted", file=sys.stderr)
    print(f"wrote {os.path.relpath(OUTPUT, ROOT)}: {counts['commands']} commands, "
          f"{counts['subcommands']} subcommands (Redis {version})")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--capture", action="store_true",
                        help="capture the JSON from a throwaway redis-server first")
    args = parser.parse_args()
    if args.capture:
        capture()
    generate()


if __name__ == "__main__":
    main()
