#!/usr/bin/env bash
# Checks that an installed redwire can be consumed downstream:
#   consumer_check.sh BUILD_DIR WORK_DIR
# installs BUILD_DIR into WORK_DIR/prefix, then builds test/consumer/ twice — with CMake's
# find_package(redwire) and with `pkg-config --cflags --libs redwire` — and runs both binaries.
set -euo pipefail

build="$(cd "$1" && pwd)"
work="$2"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
prefix="$work/prefix"
rm -rf "$work"
mkdir -p "$work"

echo "-- install to $prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log"

echo "-- find_package(redwire)"
cmake -S "$root/test/consumer" -B "$work/cmake-build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  >"$work/configure.log"
cmake --build "$work/cmake-build"
"$work/cmake-build/redwire_consumer"

echo "-- pkg-config --cflags --libs redwire"
pc="$(dirname "$(find "$prefix" -name redwire.pc | head -1)")"
# redwire.pc names the prefix given at configure time; this install went elsewhere.
flags="$(PKG_CONFIG_PATH="$pc" pkg-config --define-variable=prefix="$prefix" --cflags --libs redwire)"
echo "   $flags"
# shellcheck disable=SC2086
g++ -Wall -Wextra -Werror "$root/test/consumer/main.cpp" -o "$work/pkg-config-consumer" $flags
"$work/pkg-config-consumer"
