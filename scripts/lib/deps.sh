# shellcheck shell=bash
# Installs the Debian packages that building, testing and the tour need, when some are missing.
# Sourced by scripts/test and scripts/tour:
#
#   source scripts/lib/deps.sh
#   redwire_install_deps || exit 1
#
# Runs `apt-get update` only when something is missing. Package scripts are kept from starting
# services (a redis-server on 6379 would be harmless, since every test uses its own free ports,
# but a run should leave nothing behind).

REDWIRE_APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  clang clang-format libclang-rt-14-dev
  libasio-dev libssl-dev openssl
  libgtest-dev libgmock-dev libbenchmark-dev
  libhiredis-dev nlohmann-json3-dev libcli11-dev libcpp-httplib-dev
  redis-server redis-sentinel redis-tools
  valgrind
)

# Prints the packages of REDWIRE_APT_PACKAGES that are not installed.
redwire_missing_packages() {
  local p
  for p in "${REDWIRE_APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      echo "$p"
    fi
  done
}

# Node.js and npm (the peer benchmarks, and the Redlock interop test, which runs `npm ci` in the
# build tree and skips without them), checked by command: they may come from outside Debian (a
# nodejs that bundles npm conflicts with Debian's npm package).
redwire_missing_optional_packages() {
  command -v node >/dev/null 2>&1 || echo nodejs
  command -v npm >/dev/null 2>&1 || echo npm
}

redwire_install_deps() {
  local missing optional
  mapfile -t missing < <(redwire_missing_packages)
  mapfile -t optional < <(redwire_missing_optional_packages)
  if [[ ${#missing[@]} -eq 0 && ${#optional[@]} -eq 0 ]]; then
    return 0
  fi
  echo "== installing missing packages: ${missing[*]} ${optional[*]}"
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "error: missing packages (${missing[*]}) and not root (no sudo)" >&2
      return 1
    fi
    sudo=(sudo)
  fi
  # policy-rc.d exiting 101 tells invoke-rc.d / deb-systemd-invoke not to start services.
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null &&
      "${sudo[@]}" chmod +x "$policy" && made_policy=1
  fi
  local rc=0
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq || rc=$?
  if [[ $rc -eq 0 && ${#missing[@]} -gt 0 ]]; then
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" || rc=$?
  fi
  if [[ $rc -eq 0 && ${#optional[@]} -gt 0 ]]; then
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${optional[@]}" ||
      echo "warning: could not install ${optional[*]} (the peer benchmarks need them; the Redlock interop test will skip)" >&2
  fi
  [[ $made_policy -eq 1 ]] && "${sudo[@]}" rm -f "$policy"
  if [[ $rc -ne 0 ]]; then
    echo "error: apt-get failed ($rc) installing: ${missing[*]}" >&2
    return "$rc"
  fi
  # Belt and braces: a service we just installed and that started despite the policy is stopped.
  local svc
  for svc in redis-server redis-sentinel; do
    if [[ " ${missing[*]} " == *" $svc "* && -x /etc/init.d/$svc ]]; then
      "${sudo[@]}" /etc/init.d/"$svc" stop >/dev/null 2>&1 || true
    fi
  done
  return 0
}
