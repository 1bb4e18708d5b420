#!/usr/bin/env bash
# Macro benchmarks on a real (embedded) PostgreSQL: short tasks per pool and with a new connection per
# task, pgbench's reference, a 50-thread spike, recovery after a restart, then the ETL load rates
# (scripts/bench-etl.sh). Rewrites the macro and etl sections of docs/BENCHMARKS.md and the charts in
# docs/bench/.
#   scripts/bench-macro.sh quick    about 7 minutes on 2 cores (1 run of 2 s per cell)
#   scripts/bench-macro.sh full     about 15 minutes (3 runs of 3 s per cell: median and spread)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-quick}"
case "$mode" in
  quick|full) ;;
  *) echo "usage: scripts/bench-macro.sh quick|full" >&2; exit 2 ;;
esac
mvn -B -q -pl etlpool-benchmarks -am package -DskipTests
mkdir -p docs/bench
java -Xmx2g -Dcom.mchange.v2.log.MLog=com.mchange.v2.log.FallbackMLog \
  -Dcom.mchange.v2.log.FallbackMLog.DEFAULT_CUTOFF_LEVEL=WARNING \
  -cp etlpool-benchmarks/target/benchmarks.jar io.etlpool.bench.MacroBench "$mode" docs/BENCHMARKS.md
ETLPOOL_BENCH_BUILT=1 scripts/bench-etl.sh
echo "docs/BENCHMARKS.md and docs/bench/*.svg updated"
