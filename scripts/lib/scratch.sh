# shellcheck shell=bash
# A scratch directory for one run of the tests or the tour, and the cleanup of whatever the run
# left behind in it. The harness (test/support) creates every server's directory under
# $REDWIRE_TEST_TMPDIR and runs each server with its working directory there (redis rewrites
# its process title, so the command line is not enough), so leftover processes of this run are
# found by that path alone (never by a program name).
#
#   source scripts/lib/scratch.sh
#   redwire_scratch_begin            # exports REDWIRE_TEST_TMPDIR, installs an EXIT trap
#   ...                              # redwire_scratch_end runs on exit

redwire_scratch_begin() {
  REDWIRE_TEST_TMPDIR="$(mktemp -d "${TMPDIR:-/tmp}/redwire-run-XXXXXX")"
  export REDWIRE_TEST_TMPDIR
  trap redwire_scratch_end EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# Pids of processes whose command line or working directory is inside the scratch directory.
redwire_scratch_pids() {
  local root="$REDWIRE_TEST_TMPDIR" proc pid cwd
  [[ -n $root && -d $root ]] || return 0
  for proc in /proc/[0-9]*; do
    pid="${proc#/proc/}"
    [[ $pid == "$$" ]] && continue
    cwd="$(readlink "$proc/cwd" 2>/dev/null)" || continue
    if [[ $cwd == "$root"/* ]] || tr '\0' ' ' <"$proc/cmdline" 2>/dev/null | grep -qF "$root/"; then
      echo "$pid"
    fi
  done
}

redwire_scratch_end() {
  local pids
  mapfile -t pids < <(redwire_scratch_pids)
  if [[ ${#pids[@]} -gt 0 ]]; then
    echo "== stopping ${#pids[@]} process(es) left behind: ${pids[*]}" >&2
    kill -TERM "${pids[@]}" 2>/dev/null
    sleep 1
    mapfile -t pids < <(redwire_scratch_pids)
    [[ ${#pids[@]} -gt 0 ]] && kill -KILL "${pids[@]}" 2>/dev/null
  fi
  [[ -n ${REDWIRE_TEST_TMPDIR:-} ]] && rm -rf "$REDWIRE_TEST_TMPDIR"
  return 0
}
