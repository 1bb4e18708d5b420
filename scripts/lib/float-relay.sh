# Sourced after throwaway-server.sh by the relay benchmarks: databases src and dst, table t of ROWS rows of
# `bigint + 4 x float8` in src and empty in dst; defines sum (count and md5 of a database's t), want (src's),
# job (writes a job file copying t, optionally with a chunkSize), busy (the machine's busy CPU ticks) and hz.
#   . scripts/lib/float-relay.sh <rows>
q -d postgres -c "CREATE DATABASE src" -c "CREATE DATABASE dst"
ddl="id bigint PRIMARY KEY, a float8, b float8, c float8, d float8"
q -d src -c "CREATE TABLE t ($ddl)" \
  -c "INSERT INTO t SELECT g, random(), random() * 1e6, -random(), random() / 3 FROM generate_series(1, $1) g" \
  -c "VACUUM ANALYZE t"
q -d dst -c "CREATE TABLE t ($ddl)"
sum() { q -d "$1" -At -c "SELECT count(*) || ':' || md5(string_agg(r::text, '|' ORDER BY id)) FROM t r"; }
want=$(sum src)
job() { # name [chunkSize] -> job file
  {
    echo "name: $1"
    [ -z "${2:-}" ] || echo "chunkSize: $2"
    cat <<YAML
source:
  url: jdbc:postgresql://127.0.0.1:$port/src
  user: postgres
  query: SELECT * FROM t
  partitionColumn: id
target:
  url: jdbc:postgresql://127.0.0.1:$port/dst
  user: postgres
  table: t
YAML
  } > "$work/$1.yaml"
  echo "$work/$1.yaml"
}
busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; } # user nice system irq softirq, in ticks
hz=$(getconf CLK_TCK)
raw="$work/raw.tsv" # way round wall-s machine-cpu-s jvm-cpu-s
: > "$raw"
psql_binary() { psql -X -q -d src -c "COPY t TO STDOUT (FORMAT binary)" | psql -X -q -d dst -c "COPY t FROM STDIN (FORMAT binary)"; }
etlpool_run() { # launcher job-file: one etlpool run, its JVM's CPU into $work/jvm
  /usr/bin/time -f "%U %S" -o "$work/jvm" "$1" run "$2" >/dev/null
}
measure() { # way round command...: one timed copy into the emptied dst.t, checked by checksum, a line into $raw
  local way=$1 r=$2 b0 b1 s e ju js
  shift 2
  q -d dst -c "TRUNCATE t" -c "CHECKPOINT"
  echo "- -" > "$work/jvm"
  b0=$(busy); s=$(date +%s.%N)
  "$@"
  e=$(date +%s.%N); b1=$(busy)
  [ "$(sum dst)" = "$want" ] || { echo "bench: $way copied t wrongly (checksum differs)" >&2; exit 1; }
  read -r ju js < "$work/jvm"
  printf '%s\t%s\t%s\t%s\t%s\n' "$way" "$r" "$(awk "BEGIN {print $e - $s}")" "$(awk "BEGIN {print ($b1 - $b0) / $hz}")" \
    "$( [ "$ju" = - ] && echo - || awk "BEGIN {print $ju + $js}")" >> "$raw"
}
