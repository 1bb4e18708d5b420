#!/usr/bin/env bash
# The binary relay of an older commit against this checkout's: ROWS rows of `bigint + 4 x float8` copied by
# `./etlpool run` (default settings) with each, beside the psql binary pipe, in interleaved rounds on one
# throwaway PostgreSQL server (source and target databases side by side), every copy checked by checksum.
# Per run: wall seconds, machine CPU seconds (/proc/stat) and etlpool's JVM CPU seconds (/usr/bin/time);
# then median [min-max] per way and the per-round ratio of this checkout's wall time to the old one's.
# The old commit is built (offline Maven) in a temporary worktree, removed at the end.
#   scripts/bench-relay-ab.sh OLD_COMMIT [rounds=6] [rows=2000000]      # about 3 minutes at the defaults
set -euo pipefail
cd "$(dirname "$0")/.."
old_rev=${1:?usage: scripts/bench-relay-ab.sh OLD_COMMIT [rounds] [rows]}
rounds=${2:-6}
rows=${3:-2000000}
. scripts/lib/old-commit.sh
. scripts/lib/throwaway-server.sh etlpool-ab
trap '"${as[@]}" pg_ctl -D "$work/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"; cleanup_old' EXIT
. scripts/lib/float-relay.sh "$rows"
# one untimed run of each first: the first `run` after a build records the CLI's class archive
for d in "$old/tree" .; do "$d/etlpool" run "$(job warm-$RANDOM)" >/dev/null; q -d dst -c "TRUNCATE t"; done
for r in $(seq 1 "$rounds"); do
  measure psql-binary "$r" psql_binary
  measure old "$r" etlpool_run "$old/tree/etlpool" "$(job "old-$r")"
  measure new "$r" etlpool_run ./etlpool "$(job "new-$r")"
done
python3 - "$raw" "$old_rev" "$rows" "$(uptime)" <<'PY'
import sys, statistics as st
raw, rev, rows, load = sys.argv[1:]
runs = [l.rstrip("\n").split("\t") for l in open(raw)]
def col(way, i):
    return [float(r[i]) for r in runs if r[0] == way and r[i] != "-"]
def cell(v):
    return "%.2f [%.2f-%.2f]" % (st.median(v), min(v), max(v)) if v else "-"
print("%s rows of bigint + 4 x float8; %s" % (f"{int(rows):,}", load.strip()))
print("| way | wall s | machine CPU s | etlpool JVM CPU s |\n|---|---|---|---|")
for way, name in (("psql-binary", "psql-binary"), ("old", "etlpool " + rev), ("new", "etlpool (this checkout)")):
    print("| %s | %s | %s | %s |" % (name, cell(col(way, 2)), cell(col(way, 3)), cell(col(way, 4))))
ratio = [n / o for n, o in zip(col("new", 2), col("old", 2))]
print("this checkout / %s, wall per round: %s, faster in %d of %d rounds" % (rev, cell(ratio),
      sum(1 for x in ratio if x < 1), len(ratio)))
PY
