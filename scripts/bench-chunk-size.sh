#!/usr/bin/env bash
# What a chunk costs: the binary relay of ROWS rows of `bigint + 4 x float8` with chunks of 10,000 and of
# 100,000 rows (`./etlpool run`, default parallelism and JVM settings), beside the psql binary pipe, in
# interleaved rounds on one throwaway PostgreSQL server (source and target databases side by side). Per
# run: wall seconds, CPU seconds of the whole machine (/proc/stat: server, clients, everything) and of
# etlpool's JVM (/usr/bin/time). Writes etlpool-benchmarks/target/chunk-size.md.
#   scripts/bench-chunk-size.sh [rounds=4] [rows=2000000]      # about 2 minutes at the defaults
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-4}
rows=${2:-2000000}
[ -f etlpool-cli/target/etlpool-cli.jar ] || ./etlpool --version >/dev/null
export ETLPOOL_REBUILD=never # no rebuild while measuring (docs/CLI.md)
. scripts/lib/throwaway-server.sh etlpool-chunks
. scripts/lib/float-relay.sh "$rows"
for r in $(seq 1 "$rounds"); do
  for way in psql-binary chunks-10000 chunks-100000; do
    case $way in
      psql-binary) measure "$way" "$r" psql_binary ;;
      chunks-*) measure "$way" "$r" etlpool_run ./etlpool "$(job "c$r-${way#chunks-}" "${way#chunks-}")" ;;
    esac
  done
done
out=etlpool-benchmarks/target/chunk-size.md
mkdir -p "$(dirname "$out")"
python3 - "$raw" "$out" "$rows" "$(uptime)" <<'PY'
import statistics, sys
raw, out, rows, load = sys.argv[1:]
runs = [l.rstrip("\n").split("\t") for l in open(raw)]
ways = list(dict.fromkeys(r[0] for r in runs))
rest = [r for r in runs if r[1] != "1"] or runs  # round 1 apart: a fresh build records the CLI's class archive
def col(way, i):
    return [float(r[i]) for r in rest if r[0] == way and r[i] != "-"]
def fmt(v):
    return "-" if not v else "%.2f [%.2f-%.2f]" % (statistics.median(v), min(v), max(v))
lines = ["%s rows of bigint + 4 x float8; median [min-max] of rounds 2..%d (round 1 apart); %s" % (
             "{:,}".format(int(rows)), max(int(r[1]) for r in runs), load.strip()), "",
         "| way | wall s | machine CPU s | etlpool JVM CPU s |", "|---|---|---|---|"]
for w in ways:
    lines.append("| %s | %s | %s | %s |" % (w, fmt(col(w, 2)), fmt(col(w, 3)), fmt(col(w, 4))))
rounds = sorted({r[1] for r in rest})
sec = {(r[0], r[1]): float(r[2]) for r in rest}
ratio = [sec[("chunks-100000", k)] / sec[("chunks-10000", k)] for k in rounds]
pipe = [sec[("psql-binary", k)] / sec[("chunks-100000", k)] for k in rounds]
lines += ["", "| per round | median [min-max] |", "|---|---|",
          "| wall, chunks of 100,000 / chunks of 10,000 | %s |" % fmt(ratio),
          "| rate, chunks of 100,000 / psql-binary | %s |" % fmt(pipe)]
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
echo "table written to $out"
