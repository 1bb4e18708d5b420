# Sourced by the A/B benchmarks: builds commit $old_rev (offline Maven) in a temporary worktree at $old/tree,
# removed when the script exits (cleanup_old, which a later EXIT trap must call too), then makes sure this
# checkout's CLI is built and tells ./etlpool not to rebuild while measuring (docs/CLI.md).
#   old_rev=COMMIT; . scripts/lib/old-commit.sh
old=$(mktemp -d /tmp/etlpool-ab-old.XXXXXX)
git worktree add -q --detach "$old/tree" "$old_rev"
cleanup_old() { git worktree remove --force "$old/tree" >/dev/null 2>&1 || true; rm -rf "$old"; }
trap cleanup_old EXIT
echo "bench: building $old_rev" >&2
(cd "$old/tree" && mvn -B -q -o package -DskipTests -pl etlpool-cli -am > "$old/build.log" 2>&1) \
  || { echo "bench: building $old_rev failed:" >&2; tail -20 "$old/build.log" >&2; exit 1; }
./etlpool --version >/dev/null
export ETLPOOL_REBUILD=never
