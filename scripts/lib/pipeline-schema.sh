# Sourced after throwaway-server.sh by the pipeline benchmarks: database src holding the 10-table schema
# (pgbench's four at scale $scale with their keys, and a shop like the demo's with $orders orders, its keys,
# foreign keys and indexes); defines tables, sums and defs (a database's rows and definitions), want_rows and
# want_defs (the source's), check_dst (compares database dst with the source) and writes $work/pipeline.yaml
# (one `tables: [public.*]` stream, createTable, everything else default).
#   scale=10 orders=400000; . scripts/lib/pipeline-schema.sh
q -d postgres -c "CREATE DATABASE src"

echo "bench: making the source (pgbench scale $scale, shop with $orders orders)" >&2
pgbench -i -q -s "$scale" -I dtgvpf src >/dev/null 2>&1
customers=$((orders / 10))
q -d src <<SQL
CREATE TABLE regions (code text PRIMARY KEY, name text NOT NULL);
INSERT INTO regions VALUES ('EU', 'Europe'), ('US', 'United States'), ('APAC', 'Asia-Pacific'), ('LATAM', 'Latin America');
CREATE TABLE categories (name text PRIMARY KEY, vat numeric(4,2) NOT NULL);
INSERT INTO categories SELECT c, 7 + length(c) FROM unnest(ARRAY['books', 'games', 'garden', 'kitchen', 'sports']) c;
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, region text NOT NULL REFERENCES regions);
INSERT INTO customers SELECT g, 'customer ' || g, (ARRAY['EU', 'US', 'APAC', 'LATAM'])[1 + g % 4]
  FROM generate_series(1, $customers) g;
CREATE INDEX customers_region ON customers (region);
CREATE TABLE products (id int PRIMARY KEY, name text NOT NULL, category text NOT NULL REFERENCES categories,
  price numeric(10,2) NOT NULL, UNIQUE (name));
INSERT INTO products SELECT g, 'product ' || g, (ARRAY['books', 'games', 'garden', 'kitchen', 'sports'])[1 + g % 5],
  (1 + g % 200) * 0.99 FROM generate_series(1, 1000) g;
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, product_id int NOT NULL,
  quantity int NOT NULL CHECK (quantity > 0), created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
INSERT INTO orders SELECT g, 1 + (g::bigint * 7919) % $customers, 1 + (g::bigint * 104729) % 1000, 1 + g % 5,
  timestamptz '2025-01-01 00:00:00+00' + g * interval '17 seconds',
  timestamptz '2025-01-01 00:00:00+00' + g * interval '17 seconds' FROM generate_series(1, $orders) g;
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX orders_updated ON orders (updated_at);
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers,
  ADD CONSTRAINT orders_product_fk FOREIGN KEY (product_id) REFERENCES products;
CREATE TABLE order_lines (order_id bigint NOT NULL, line int NOT NULL, product_id int NOT NULL,
  quantity int NOT NULL, price numeric(10,2) NOT NULL, PRIMARY KEY (order_id, line));
INSERT INTO order_lines SELECT o, l, 1 + (o * 31 + l * 7) % 1000, 1 + (o + l) % 3, (1 + (o + l) % 200) * 0.99
  FROM generate_series(1, $orders) o, generate_series(1, 2) l;
CREATE INDEX order_lines_product ON order_lines (product_id);
ALTER TABLE order_lines ADD CONSTRAINT order_lines_order_fk FOREIGN KEY (order_id) REFERENCES orders,
  ADD CONSTRAINT order_lines_product_fk FOREIGN KEY (product_id) REFERENCES products;
VACUUM ANALYZE;
SQL

mapfile -t tables < <(q -d src -At -c "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
[ "${#tables[@]}" = 10 ] || { echo "bench: expected 10 source tables, got ${#tables[@]}" >&2; exit 1; }
sums() { # db -> one line per table: name count:md5 of all rows
  for t in "${tables[@]}"; do
    echo "$t $(q -d "$1" -At -c "SELECT count(*) || ':' || coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') FROM $t r")"
  done
}
defs() { # db -> the constraints and indexes of the copied tables (etlpool's own tables aside), names aside
  q -d "$1" -At <<'SQL'
SELECT 'constraints: ' || count(*) || ' ' || coalesce(md5(string_agg(d, '|' ORDER BY d)), '') FROM (
  SELECT t.relname || ' ' || c.contype::text || ' ' || pg_get_constraintdef(c.oid) AS d
  FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
  WHERE n.nspname = 'public' AND t.relname NOT LIKE 'etlpool\_%') x;
SELECT 'indexes: ' || count(*) || ' ' || coalesce(md5(string_agg(d, '|' ORDER BY d)), '') FROM (
  SELECT tablename || ' ' || regexp_replace(indexdef, '^CREATE (UNIQUE )?INDEX \S+ ', 'CREATE \1INDEX ') AS d
  FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE 'etlpool\_%') x;
SQL
}
want_rows=$(sums src)
want_defs=$(defs src)
echo "bench: source: $(echo "$want_defs" | cut -d' ' -f1-2 | paste -sd' ')" >&2

cat > "$work/pipeline.yaml" <<YAML
name: bench
source:
  url: jdbc:postgresql://127.0.0.1:$port/src
  user: postgres
target:
  url: jdbc:postgresql://127.0.0.1:$port/dst
  user: postgres
  createTable: true
streams:
  - tables: [public.*]
YAML
check_dst() { # tool round: fails the benchmark unless dst has the source's rows, constraints and indexes
  local got_rows got_defs
  got_rows=$(sums dst)
  got_defs=$(defs dst)
  if [ "$got_rows" != "$want_rows" ]; then
    echo "bench: $1 copied rows wrongly (round $2):" >&2; diff <(echo "$want_rows") <(echo "$got_rows") >&2 || true; exit 1
  fi
  if [ "$got_defs" != "$want_defs" ]; then
    echo "bench: $1's constraints/indexes differ (round $2): source $want_defs, target $got_defs" >&2; exit 1
  fi
}
