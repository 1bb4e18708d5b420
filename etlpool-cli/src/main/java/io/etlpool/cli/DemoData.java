package io.etlpool.cli;

import io.etlpool.EtlPool;

import java.sql.SQLException;

/** The demo's sample shop: customers, products and orders, made on the server with generate_series. */
final class DemoData {

    private DemoData() {
    }

    static void create(EtlPool shop, int orders) throws SQLException {
        int customers = Math.max(10, orders / 10);
        shop.execute("CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, region text NOT NULL)");
        shop.execute("INSERT INTO customers SELECT g, 'customer ' || g, (ARRAY['EU', 'US', 'APAC', 'LATAM'])[1 + g % 4] "
                + "FROM generate_series(1, " + customers + ") g");
        shop.execute("CREATE TABLE products (id int PRIMARY KEY, name text NOT NULL, category text NOT NULL, "
                + "price numeric(10,2) NOT NULL)");
        shop.execute("INSERT INTO products SELECT g, 'product ' || g, (ARRAY['books', 'games', 'garden', 'kitchen', "
                + "'sports'])[1 + g % 5], (1 + g % 200) * 0.99 FROM generate_series(1, 1000) g");
        shop.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, product_id int NOT NULL, "
                + "quantity int NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)");
        shop.execute("INSERT INTO orders SELECT g, 1 + (g::bigint * 7919) % " + customers + ", 1 + (g::bigint * 104729) % 1000, 1 + g % 5, "
                + "timestamptz '2025-01-01 00:00:00+00' + g * interval '17 seconds', "
                + "timestamptz '2025-01-01 00:00:00+00' + g * interval '17 seconds' FROM generate_series(1, " + orders + ") g");
        shop.execute("CREATE INDEX orders_customer ON orders (customer_id)");
        // the foreign keys after the rows, as a restore adds them: one check of all rows instead of one per row
        shop.execute("ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers, "
                + "ADD CONSTRAINT orders_product_fk FOREIGN KEY (product_id) REFERENCES products");
        shop.execute("ANALYZE");
    }

    /**
     * The demo's pipeline file: the shop's tables copied whole, with their keys, indexes and foreign keys,
     * orders incrementally on updated_at. The password stays in the environment.
     */
    static String pipeline(String shopUrl, String warehouseUrl, String user, int parallelism) {
        return String.join("\n",
                "name: demo",
                "source:",
                "  url: " + shopUrl,
                "  user: " + user,
                "  password: ${DEMO_PASSWORD}",
                "target:",
                "  url: " + warehouseUrl,
                "  user: " + user,
                "  password: ${DEMO_PASSWORD}",
                "  createTable: true",
                "maxConnections: " + (2 * parallelism + 2) + "          # per database: two streams at a time",
                "parallelism: " + parallelism,
                "chunkSize: 20000",
                "streams:",
                "  - tables: [customers, products]",
                "  - tables: [orders]",
                "    incremental: {cursor: updated_at}   # each run loads the orders written since the last",
                "    target: {mode: upsert}              # key: the table's primary key",
                "");
    }

    /**
     * The shop's day: new orders, and some orders changed; each write sets updated_at. Returns how many orders
     * were added and how many updated.
     */
    static long[] change(EtlPool shop, int orders) throws SQLException {
        int customers = Math.max(10, orders / 10);
        long added = Math.max(1, orders / 100);
        shop.execute("INSERT INTO orders SELECT g, 1 + (g::bigint * 7919) % " + customers + ", 1 + (g::bigint * 104729) "
                + "% 1000, 1 + g % 5, now(), now() FROM generate_series(" + (orders + 1) + ", " + (orders + added) + ") g");
        long updated = shop.execute("UPDATE orders SET quantity = quantity + 1, updated_at = now() WHERE id % 200 = 0 "
                + "AND id <= " + orders);
        return new long[] {added, updated};
    }

    /** Prints the pipeline file, its password reference and all, as a user would write it. */
    static void show(java.io.PrintStream out, java.nio.file.Path file) throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(file)) {
            out.println("  | " + (line.length() > 110 ? line.substring(0, 107) + "..." : line));
        }
    }
}
