#!/usr/bin/env bash
# ETL load rates on an embedded PostgreSQL: etlpool COPY vs the psql \copy pipe, etlpool BATCH vs one
# INSERT per row. About 3 minutes on 2 cores. Rewrites the etl section of docs/BENCHMARKS.md and
# docs/bench/etl-load.svg (scripts/bench-macro.sh runs this too).
#   scripts/bench-etl.sh [copyRows=1000000] [batchRows=100000] [runs=3]
# Against psql (binary and text pipes), psycopg2 binary COPY through a buffer and pg_dump | pg_restore,
# on three tables, rows/s and peak RSS (scripts/bench-etl-compare.sh; writes target/etl-compare.md only):
#   scripts/bench-etl.sh compare [quick|full|2m|10m] [rounds=4]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = compare ]; then
  shift
  exec scripts/bench-etl-compare.sh "$@"
fi
if [ "${ETLPOOL_BENCH_BUILT:-}" != 1 ]; then
  mvn -B -q -pl etlpool-benchmarks -am package -DskipTests
fi
out=etlpool-benchmarks/target/etl-load.md
java -Xmx1g -cp etlpool-benchmarks/target/benchmarks.jar io.etlpool.bench.EtlLoadBench \
  "${1:-1000000}" "${2:-100000}" "${3:-3}" "$out" docs/BENCHMARKS.md
echo "table written to $out and docs/BENCHMARKS.md"
