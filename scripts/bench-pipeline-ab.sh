#!/usr/bin/env bash
# The pipeline of an older commit against this checkout's: the 10-table schema of scripts/bench-pipeline.sh
# copied whole by `./etlpool run pipeline.yaml` (default settings) with each, in interleaved rounds on one
# throwaway PostgreSQL server, every copy checked (rows, constraints and indexes equal the source's).
# Per run: wall seconds, machine CPU seconds (/proc/stat) and etlpool's JVM CPU seconds (/usr/bin/time);
# then median [min-max] per way and the per-round ratio of this checkout's wall time to the old one's.
# The old commit is built (offline Maven) in a temporary worktree, removed at the end.
#   scripts/bench-pipeline-ab.sh OLD_COMMIT [rounds=8] [scale=10] [orders=400000]   # about 2 minutes at the defaults
set -euo pipefail
cd "$(dirname "$0")/.."
old_rev=${1:?usage: scripts/bench-pipeline-ab.sh OLD_COMMIT [rounds] [scale] [orders]}
rounds=${2:-8}
scale=${3:-10}
orders=${4:-400000}
export PATH=/usr/lib/postgresql/15/bin:$PATH
. scripts/lib/old-commit.sh
. scripts/lib/throwaway-server.sh etlpool-pab
trap '"${as[@]}" pg_ctl -D "$work/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"; cleanup_old' EXIT
. scripts/lib/pipeline-schema.sh
busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; } # user nice system irq softirq, in ticks
hz=$(getconf CLK_TCK)
raw="$work/raw.tsv" # way round wall-s machine-cpu-s jvm-cpu-s
: > "$raw"
fresh() { q -d postgres -c "DROP DATABASE IF EXISTS dst WITH (FORCE)" -c "CREATE DATABASE dst" -c "CHECKPOINT"; }
# one untimed run of each first: the first `run` after a build records the CLI's class archive
for d in "$old/tree" .; do fresh; "$d/etlpool" run "$work/pipeline.yaml" >/dev/null; done
for r in $(seq 1 "$rounds"); do
  for way in old new; do
    d=.; [ "$way" = old ] && d="$old/tree"
    fresh
    b0=$(busy); s=$(date +%s.%N)
    /usr/bin/time -f "%U %S" -o "$work/jvm" "$d/etlpool" run "$work/pipeline.yaml" > "$work/$way.log" 2>&1 \
      || { echo "bench: $way failed (round $r)" >&2; tail -20 "$work/$way.log" >&2; exit 1; }
    e=$(date +%s.%N); b1=$(busy)
    check_dst "$way" "$r"
    read -r ju js < "$work/jvm"
    printf '%s\t%s\t%s\t%s\t%s\n' "$way" "$r" "$(awk "BEGIN {print $e - $s}")" "$(awk "BEGIN {print ($b1 - $b0) / $hz}")" \
      "$(awk "BEGIN {print $ju + $js}")" >> "$raw"
  done
done
python3 - "$raw" "$old_rev" "$(uptime)" <<'PY'
import sys, statistics as st
raw, rev, load = sys.argv[1:]
runs = [l.rstrip("\n").split("\t") for l in open(raw)]
def col(way, i):
    return [float(r[i]) for r in runs if r[0] == way]
def cell(v):
    return "%.2f [%.2f-%.2f]" % (st.median(v), min(v), max(v)) if v else "-"
print("10-table schema (scripts/bench-pipeline.sh), %d rounds; %s" % (len(col("new", 2)), load.strip()))
print("| way | wall s | machine CPU s | etlpool JVM CPU s |\n|---|---|---|---|")
for way, name in (("old", "etlpool " + rev), ("new", "etlpool (this checkout)")):
    print("| %s | %s | %s | %s |" % (name, cell(col(way, 2)), cell(col(way, 3)), cell(col(way, 4))))
for i, what in ((2, "wall"), (3, "machine CPU")):
    ratio = [n / o for n, o in zip(col("new", i), col("old", i))]
    print("this checkout / %s, %s per round: %s, less in %d of %d rounds" % (rev, what, cell(ratio),
          sum(1 for x in ratio if x < 1), len(ratio)))
PY
