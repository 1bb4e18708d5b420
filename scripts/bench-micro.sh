#!/usr/bin/env bash
# Micro-benchmarks (JMH, stub driver): etlpool against its peers, every thread count, one table.
#   scripts/bench-micro.sh quick    about 10 minutes on 2 cores, all 7 pools
#   scripts/bench-micro.sh full     about 25 minutes, the numbers for docs/BENCHMARKS.md
# Extra arguments pass through, e.g. threads=1,8 pools=etlpool,hikari
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-quick}"
shift || true
case "$mode" in
  quick|full) ;;
  *) echo "usage: scripts/bench-micro.sh quick|full [threads=1,2,4] [pools=etlpool,hikari]" >&2; exit 2 ;;
esac
mvn -B -q -pl etlpool-benchmarks -am package -DskipTests
out="etlpool-benchmarks/target/micro-$mode.md"
java -jar etlpool-benchmarks/target/benchmarks.jar "$mode" "$out" "$@"
echo "table written to $out"
