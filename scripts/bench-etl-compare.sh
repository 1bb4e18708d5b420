#!/usr/bin/env bash
# etlpool against the tools people would otherwise run, on one throwaway PostgreSQL server (source and
# target databases side by side): `./etlpool run` (COPY, default parallelism and JVM settings), the same job
# with a trivial Java transform (io.etlpool.bench.TransformJob, a fresh JVM with the CLI's settings), the psql
# binary pipe, the psql text pipe, binary COPY through a client buffer (psycopg2, as a short Python
# script does it) and `pg_dump -Fc | pg_restore`. Tables: (a) bigint + 4 x float8, (b) the 5-column
# table of EtlLoadBench, (c) a wide mixed-type table. Rounds are interleaved (every tool once per round);
# the first round is shown apart (etlpool's is the cold JVM), the others give median and [min-max].
# Every tool's first copy is checked against the source (row count and md5 of every row).
#   scripts/bench-etl-compare.sh [quick|full|2m|10m] [rounds=4]   quick: 200,000 rows; full: 2,000,000 and 10,000,000
#   (2m and 10m: one of the two full sizes, about 10 and 40 minutes on 2 cores; BENCH_TABLES="a b" picks tables)
# Needs initdb/pg_ctl/psql/pg_dump/pg_restore on PATH; installs python3-psycopg2 (apt-get) when missing.
# Writes etlpool-benchmarks/target/etl-compare.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-quick}
rounds=${2:-4}
case "$mode" in
  quick) sizes=(200000) ;;
  full) sizes=(2000000 10000000) ;;
  2m) sizes=(2000000) ;;
  10m) sizes=(10000000) ;;
  *) echo "usage: $0 [quick|full|2m|10m] [rounds]" >&2; exit 2 ;;
esac
for tool in initdb pg_ctl psql pg_dump pg_restore; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not on PATH" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
py=/usr/bin/python3 # Debian's python, where python3-psycopg2 installs
if ! "$py" -c 'import psycopg2' 2>/dev/null; then
  echo "bench: installing python3-psycopg2" >&2
  apt-get install -y -q python3-psycopg2 >/dev/null
fi
./etlpool --help >/dev/null # builds the CLI when needed, outside the measurements
export ETLPOOL_REBUILD=never # and never again while measuring (docs/CLI.md)
if [ "${ETLPOOL_BENCH_BUILT:-}" != 1 ]; then
  mvn -B -q -pl etlpool-benchmarks -am package -DskipTests
fi
jvm_opts=$(cat etlpool-cli/jvm.options)

. scripts/lib/throwaway-server.sh etlpool-bench
q -d postgres -c "CREATE DATABASE src" -c "CREATE DATABASE dst"

ddl_a="id bigint PRIMARY KEY, a float8, b float8, c float8, d float8"
ddl_b="id bigint PRIMARY KEY, customer int, amount numeric(12,2), note text, created timestamptz"
ddl_c="id bigint PRIMARY KEY, amount numeric(14,4), at timestamptz, note text, doc jsonb, ref uuid, tags int[], blob bytea, day date, flag boolean"
fill() { # table rows
  case "$1" in
    a) echo "SELECT g, random(), random() * 1e6, -random(), random() / 3 FROM generate_series(1, $2) g" ;;
    b) echo "SELECT g, g % 5000, (g * 1.25)::numeric(12,2), 'order note ' || g, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second' FROM generate_series(1, $2) g" ;;
    c) echo "SELECT g, (g * 1.0001)::numeric(14,4), timestamptz '2024-01-01 00:00+00' + g * interval '1 second', 'note ' || g, jsonb_build_object('k', g, 's', 'v' || g), md5(g::text)::uuid, ARRAY[g % 7, g % 11, g % 13]::int[], decode(md5(g::text), 'hex'), date '2020-01-01' + (g % 2000), g % 2 = 0 FROM generate_series(1, $2) g" ;;
  esac
}
ddl() { case "$1" in a) echo "$ddl_a" ;; b) echo "$ddl_b" ;; c) echo "$ddl_c" ;; esac; }
# an md5 of every row's md5, in key order: one string of all rows' text passes PostgreSQL's 1 GB limit at 10M rows
sum() { q -d "$1" -At -c "SELECT count(*) || ':' || md5(string_agg(md5(r::text), '' ORDER BY id)) FROM $2 r"; }

cat > "$work/buffer.py" <<'PY'
import io, sys, psycopg2
table, port = sys.argv[1], sys.argv[2]
buf = io.BytesIO()
src = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="src")
src.cursor().copy_expert("COPY %s TO STDOUT (FORMAT binary)" % table, buf)
buf.seek(0)
dst = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="dst")
dst.cursor().copy_expert("COPY %s FROM STDIN (FORMAT binary)" % table, buf)
dst.commit()
PY

job() { # table name -> job file
  cat > "$work/$2.yaml" <<YAML
name: $2
source:
  url: jdbc:postgresql://127.0.0.1:$port/src
  user: postgres
  query: SELECT * FROM $1
  partitionColumn: id
target:
  url: jdbc:postgresql://127.0.0.1:$port/dst
  user: postgres
  table: $1
YAML
  echo "$work/$2.yaml"
}

tools=(etlpool etlpool-transform psql-binary psql-text psycopg2-buffer pg_dump-restore)
run_tool() { # tool table name
  case "$1" in
    etlpool) ./etlpool run "$(job "$2" "$3")" >/dev/null ;;
    # shellcheck disable=SC2086
    etlpool-transform) java $jvm_opts -cp etlpool-benchmarks/target/benchmarks.jar io.etlpool.bench.TransformJob \
        "jdbc:postgresql://127.0.0.1:$port/src" "jdbc:postgresql://127.0.0.1:$port/dst" postgres "$2" "$3-transform" >/dev/null ;;
    psql-binary) psql -X -q -d src -c "COPY $2 TO STDOUT (FORMAT binary)" | psql -X -q -d dst -c "COPY $2 FROM STDIN (FORMAT binary)" ;;
    psql-text) psql -X -q -d src -c "COPY $2 TO STDOUT" | psql -X -q -d dst -c "COPY $2 FROM STDIN" ;;
    psycopg2-buffer) "$py" "$work/buffer.py" "$2" "$port" ;;
    pg_dump-restore) pg_dump -Fc -a -t "$2" src | pg_restore -d dst ;;
  esac
}
export -f run_tool job
export work port py jvm_opts

out=etlpool-benchmarks/target/etl-compare.md
mkdir -p "$(dirname "$out")"
raw="$work/raw.tsv" # size table tool round seconds rssKiB
: > "$raw"
for rows in "${sizes[@]}"; do
  for t in ${BENCH_TABLES:-a b c}; do
    q -d src -c "DROP TABLE IF EXISTS t_$t" -c "CREATE TABLE t_$t ($(ddl $t))" -c "INSERT INTO t_$t $(fill $t "$rows")" -c "VACUUM ANALYZE t_$t"
    q -d dst -c "DROP TABLE IF EXISTS t_$t" -c "CREATE TABLE t_$t ($(ddl $t))"
    want=$(sum src "t_$t")
    for r in $(seq 1 "$rounds"); do
      for tool in "${tools[@]}"; do
        q -d dst -c "TRUNCATE t_$t" -c "CHECKPOINT"
        start=$(date +%s.%N)
        /usr/bin/time -v -o "$work/time.txt" bash -c "run_tool $tool t_$t bench-$t-$rows-$r"
        end=$(date +%s.%N)
        rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$rows" "$t" "$tool" "$r" "$(awk "BEGIN {print $end - $start}")" "$rss" >> "$raw"
        if [ "$r" = 1 ] && [ "$(sum dst "t_$t")" != "$want" ]; then
          echo "bench: $tool copied t_$t wrongly (checksum differs)" >&2; exit 1
        fi
      done
    done
  done
done

python3 - "$raw" "$out" "$(uptime)" <<'PY'
import sys, statistics as st
raw, out, load = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [l.rstrip("\n").split("\t") for l in open(raw)]
names = {"a": "bigint + 4 x float8", "b": "5 columns (EtlLoadBench)", "c": "wide mixed types"}
keys = []
for r in rows:
    if (r[0], r[1], r[2]) not in keys:
        keys.append((r[0], r[1], r[2]))
lines = ["| rows | table | tool | first run s | rows/s median [min-max] | peak RSS MiB median [max] |", "|---|---|---|---|---|---|"]
for size, table, tool in keys:
    runs = [r for r in rows if (r[0], r[1], r[2]) == (size, table, tool)]
    first = float(runs[0][4])
    rest = runs[1:] or runs
    rates = [int(size) / float(r[4]) for r in rest]
    rss = [int(r[5]) / 1024 for r in rest]
    lines.append("| {:,} | {} | {} | {:.2f} | {:,.0f} [{:,.0f}-{:,.0f}] | {:.0f} [{:.0f}] |".format(
        int(size), names[table], tool, first, st.median(rates), min(rates), max(rates), st.median(rss), max(rss)))
# the issue's targets, as ratios of the rates measured in the same round (first round left out)
targets = [("etlpool", "psql-binary", 0.9), ("etlpool", "psycopg2-buffer", 1.0), ("etlpool-transform", "psql-binary", 0.5)]
lines += ["", "| rows | table | ratio | per round median [min-max] | target | peak RSS MiB max | met |", "|---|---|---|---|---|---|---|"]
for size, table in dict.fromkeys((k[0], k[1]) for k in keys):
    sec = {(r[2], r[3]): float(r[4]) for r in rows if (r[0], r[1]) == (size, table)}
    rss = {(r[2], r[3]): int(r[5]) / 1024 for r in rows if (r[0], r[1]) == (size, table)}
    rounds = sorted({rnd for (_, rnd) in sec}, key=int)[1:] or ["1"]
    for tool, ref, want in targets:
        ratios = [sec[(ref, rnd)] / sec[(tool, rnd)] for rnd in rounds if (tool, rnd) in sec and (ref, rnd) in sec]
        if not ratios:
            continue
        peak = max(rss[(tool, rnd)] for rnd in rounds if (tool, rnd) in rss)
        met = st.median(ratios) >= want and peak <= 256
        lines.append("| {:,} | {} | {} / {} | {:.3f} [{:.2f}-{:.2f}] | >= {} | {:.0f} | {} |".format(
            int(size), names[table], tool, ref, st.median(ratios), min(ratios), max(ratios), want, peak,
            "yes" if met else "no"))
text = "\n".join(lines) + "\n\nLoad while measuring: " + load.strip() + "\n"
open(out, "w").write(text)
print(text)
# per size, the median rows/s of each tool on each table (rounds after the first), for the charts
short = {"a": "bigint + 4 float8", "b": "5 columns", "c": "wide mixed"}
for size in dict.fromkeys(k[0] for k in keys):
    with open(out[:-3] + "-" + size + ".tsv", "w") as f:
        for s2, table, tool in keys:
            if s2 == size:
                rest = [r for r in rows if (r[0], r[1], r[2]) == (size, table, tool)][1:] or \
                       [r for r in rows if (r[0], r[1], r[2]) == (size, table, tool)]
                f.write("%s\t%s\t%.0f\n" % (short[table], tool, st.median([int(size) / float(r[4]) for r in rest])))
PY
for tsv in "${out%.md}"-*.tsv; do
  size=${tsv%.tsv}; size=${size##*-}
  java -cp etlpool-benchmarks/target/benchmarks.jar io.etlpool.bench.BarChartFile \
    "$(echo "$size" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta') rows copied: rows per second (median)" "rows/s" "${tsv%.tsv}.svg" < "$tsv"
  echo "chart written to ${tsv%.tsv}.svg"
done
echo "table written to $out"
