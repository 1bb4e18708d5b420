#!/usr/bin/env bash
# A whole schema copied three ways, on one throwaway PostgreSQL server (source and target databases side
# by side), wall time until the target has all rows, indexes and constraints:
#   etlpool          ./etlpool run pipeline.yaml (one `tables: [public.*]` stream, createTable: true,
#                    default parallelism, maxConnections and JVM settings)
#   pg_dump -j 4     pg_dump -Fd -j 4 into a directory, then pg_restore -j 4
#   psql pipes       pg_dump --schema-only --section=pre-data | psql; one `\copy TO STDOUT | \copy FROM STDIN`
#                    psql pipe per table, all at once; then --section=post-data | psql
# The schema, 10 tables: pgbench's four (`pgbench -i -s SCALE -I dtgvpf`: with primary and foreign keys)
# and a shop like the demo's (regions, categories, customers, products, orders, order_lines) with
# primary keys, foreign keys and secondary indexes. The target database is dropped and made empty before
# every copy. Every copy is checked: per table the row count and an md5 over all rows equal the source's,
# and the target's constraints and indexes (count and definitions, names aside) equal the source's.
# Rounds are interleaved (every tool once per round); median [min-max] over the rounds.
#   scripts/bench-pipeline.sh [rounds=3] [scale=10] [orders=400000]
# Uses initdb/pg_ctl/pgbench/pg_dump/pg_restore from /usr/lib/postgresql/15/bin (put first on PATH).
# Writes etlpool-benchmarks/target/pipeline-bench.md (and the last etlpool run's output beside it).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
scale=${2:-10}
orders=${3:-400000}
export PATH=/usr/lib/postgresql/15/bin:$PATH
for tool in initdb pg_ctl psql pgbench pg_dump pg_restore python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not on PATH" >&2; exit 2; }
done
./etlpool --help >/dev/null # builds the CLI when needed, outside the measurements
export ETLPOOL_REBUILD=never # and never again while measuring (docs/CLI.md)

. scripts/lib/throwaway-server.sh etlpool-pbench
. scripts/lib/pipeline-schema.sh

out=etlpool-benchmarks/target/pipeline-bench.md
mkdir -p "$(dirname "$out")"
log="${out%.md}-etlpool.log"
run_tool() {
  case "$1" in
    etlpool) # its output to the log, each line with the seconds since the start (where the time went)
      ./etlpool run "$work/pipeline.yaml" 2>&1 | python3 -u -c 'import sys, time
t = time.time()
for l in sys.stdin: sys.stdout.write("%6.2f %s" % (time.time() - t, l))' > "$log" ;;
    pg_dump-j4)
      rm -rf "$work/dump"
      pg_dump -Fd -j 4 -f "$work/dump" src
      pg_restore -j 4 --exit-on-error -d dst "$work/dump" ;;
    psql-pipes)
      pg_dump --schema-only --section=pre-data src | q -d dst >/dev/null
      local pids=() t p
      for t in "${tables[@]}"; do
        (psql -X -q -d src -c "\\copy $t TO STDOUT" | psql -X -q -v ON_ERROR_STOP=1 -d dst -c "\\copy $t FROM STDIN") &
        pids+=($!)
      done
      for p in "${pids[@]}"; do wait "$p"; done
      pg_dump --schema-only --section=post-data src | q -d dst >/dev/null ;;
  esac
}

tools=(etlpool pg_dump-j4 psql-pipes)
raw="$work/raw.tsv" # tool round seconds
: > "$raw"
# one untimed etlpool run first: the first `run` after a build records the CLI's class archive (docs/CLI.md),
# a one-off cost that would land in round 1
q -d postgres -c "DROP DATABASE IF EXISTS dst WITH (FORCE)" -c "CREATE DATABASE dst"
run_tool etlpool
load_before=$(uptime)
for r in $(seq 1 "$rounds"); do
  for tool in "${tools[@]}"; do
    q -d postgres -c "DROP DATABASE IF EXISTS dst WITH (FORCE)" -c "CREATE DATABASE dst" -c "CHECKPOINT"
    start=$(date +%s.%N)
    if ! run_tool "$tool"; then
      echo "bench: $tool failed (round $r)" >&2; [ "$tool" = etlpool ] && tail -20 "$log" >&2; exit 1
    fi
    end=$(date +%s.%N)
    secs=$(awk "BEGIN {printf \"%.2f\", $end - $start}")
    check_dst "$tool" "$r"
    echo "bench: round $r $tool ${secs}s (rows, md5, constraints and indexes equal the source)" >&2
    printf '%s\t%s\t%s\n' "$tool" "$r" "$secs" >> "$raw"
  done
done
load_after=$(uptime)

sizes=$(q -d src -At -F ' | ' -c "SELECT c.relname, to_char(c.reltuples::bigint, 'FM999,999,999'),
  pg_size_pretty(pg_table_size(c.oid)), pg_size_pretty(pg_indexes_size(c.oid))
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY pg_table_size(c.oid) DESC")
python3 - "$raw" "$out" "$rounds" "$scale" "$orders" "$want_defs" "$sizes" "$load_before" "$load_after" "$(nproc)" <<'PY'
import sys, statistics as st
raw, out, rounds, scale, orders, defs, sizes, before, after, cores = sys.argv[1:]
rows = [l.rstrip("\n").split("\t") for l in open(raw)]
tools = []
for r in rows:
    if r[0] not in tools:
        tools.append(r[0])
names = {"etlpool": "etlpool run pipeline.yaml", "pg_dump-j4": "pg_dump -Fd -j 4 + pg_restore -j 4",
         "psql-pipes": "psql \\copy pipe per table, in parallel"}
lines = ["| tool | wall s median [min-max] | per round s |", "|---|---|---|"]
for tool in tools:
    t = [float(r[2]) for r in rows if r[0] == tool]
    lines.append("| {} | {:.1f} [{:.1f}-{:.1f}] | {} |".format(
        names.get(tool, tool), st.median(t), min(t), max(t), ", ".join("%.1f" % x for x in t)))
text = "\n".join(lines)
text += "\n\nSchema: pgbench scale {}, shop with {:,} orders; {} rounds interleaved; {} cores.\n".format(
    scale, int(orders), rounds, cores)
text += "Source " + defs.replace("\n", "; ") + " (count, md5 of the definitions).\n\n"
text += "| table | rows | heap | indexes |\n|---|---|---|---|\n" + "\n".join("| " + s + " |" for s in sizes.splitlines())
text += "\n\nLoad before: " + before.strip() + "\nLoad after: " + after.strip() + "\n"
open(out, "w").write(text)
print(text)
PY
echo "table written to $out"
