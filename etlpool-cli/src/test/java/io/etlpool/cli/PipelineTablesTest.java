package io.etlpool.cli;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole tables in a pipeline file: a composite integer key cut into ranges, generated columns recreated. */
@PostgresTest
class PipelineTablesTest {

    private static String file(TestDatabase db, String streams) {
        // an empty extra target line parses as nothing
        return PipelineFiles.top(db, "tabs", "", 8) + streams + "\n";
    }

    private static String warehouse(TestDatabase db) {
        return PipelineFiles.warehouse(db);
    }

    private static Map<String, String> env(TestDatabase db) {
        return PipelineFiles.env(db);
    }

    private static String one(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static final String LINES_SUM = "SELECT count(*) || ':' || count(DISTINCT (order_id, line)) || ':' "
            + "|| md5(string_agg(l::text, '|' ORDER BY order_id, line)) FROM order_lines l";

    @Test
    void aCompositeIntegerKeyIsCutOnItsFirstColumnAndAResumeInsideARangeIsExact(TestDatabase db, @TempDir Path dir)
            throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE order_lines (order_id bigint NOT NULL, line int NOT NULL, qty int NOT NULL, "
                    + "PRIMARY KEY (order_id, line))");
            s.execute("INSERT INTO order_lines SELECT o, l, (o + l) % 7 FROM generate_series(1, 3000) o, "
                    + "generate_series(1, 3) l");
            s.execute("ANALYZE order_lines");
        }
        db.server().createDatabase(warehouse(db));
        try (Connection src = db.connect(); Connection dst = db.server().connect(warehouse(db))) {
            try (Statement s = dst.createStatement()) { // the load stops inside a range: rows past order 2100 fail
                s.execute("CREATE TABLE order_lines (order_id bigint NOT NULL CONSTRAINT early CHECK (order_id <= 2100), "
                        + "line int NOT NULL, qty int NOT NULL)");
            }
            Files.writeString(dir.resolve("p.yaml"), file(db, "  - tables: [order_lines]"));
            CliProcess first = CliProcess.run(dir, env(db), "run", "p.yaml", "--quiet");
            assertThat(first.exitCode).as(first.toString()).isEqualTo(1);
            long kept = Long.parseLong(one(dst, "SELECT count(*) FROM order_lines"));
            assertThat(kept).isPositive().isLessThan(9000);
            try (Statement s = dst.createStatement()) {
                s.execute("ALTER TABLE order_lines DROP CONSTRAINT early");
            }

            CliProcess second = CliProcess.run(dir, env(db), "run", "p.yaml", "--quiet", "--report", "r.json");
            assertThat(second.exitCode).as(second.toString()).isZero();
            assertThat(one(dst, LINES_SUM)).as("every row once").isEqualTo(one(src, LINES_SUM)).startsWith("9000:9000:");
            assertThat(Files.readString(dir.resolve("r.json"))).contains("\"rowsWritten\":" + (9000 - kept));
            assertThat(one(dst, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'order_lines_pkey'"))
                    .isEqualTo("PRIMARY KEY (order_id, line)");
            CliProcess status = CliProcess.run(dir, env(db), "status", "p.yaml");
            assertThat(status.exitCode).as(status.toString()).isZero();
            // key ranges of order_id (the default 4 partitions), not one partition in key order
            assertThat(status.out).containsPattern("order_lines +done +9,000 +4/4");
        } finally {
            db.server().dropDatabase(warehouse(db));
        }
    }

    @Test
    void aCompositeKeyWhoseFirstColumnRepeatsALotStaysOnePartition(TestDatabase db, @TempDir Path dir) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE tenant_rows (tenant int NOT NULL, id int NOT NULL, PRIMARY KEY (tenant, id))");
            s.execute("INSERT INTO tenant_rows SELECT g % 2, g FROM generate_series(1, 4000) g");
            s.execute("ANALYZE tenant_rows");
        }
        db.server().createDatabase(warehouse(db));
        try (Connection src = db.connect(); Connection dst = db.server().connect(warehouse(db))) {
            Files.writeString(dir.resolve("p.yaml"), file(db, "  - tables: [tenant_rows]"));
            CliProcess run = CliProcess.run(dir, env(db), "run", "p.yaml", "--quiet");
            assertThat(run.exitCode).as(run.toString()).isZero();
            String sum = "SELECT count(*) || ':' || md5(string_agg(t::text, '|' ORDER BY tenant, id)) FROM tenant_rows t";
            assertThat(one(dst, sum)).isEqualTo(one(src, sum));
            CliProcess status = CliProcess.run(dir, env(db), "status", "p.yaml");
            // 2,000 rows per tenant: more than a chunk of 500, so no ranges of tenant (a chunk never splits a value)
            assertThat(status.out).containsPattern("tenant_rows +done +4,000 +1/1");
        } finally {
            db.server().dropDatabase(warehouse(db));
        }
    }

    @Test
    void aGeneratedColumnIsNotReadAndTheTargetComputesIt(TestDatabase db, @TempDir Path dir) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE priced (id int PRIMARY KEY, qty int NOT NULL, price numeric(10,2) NOT NULL, "
                    + "total numeric(12,2) GENERATED ALWAYS AS (qty * price) STORED, note text)");
            s.execute("INSERT INTO priced (id, qty, price, note) SELECT g, g % 9, g * 0.25, 'n' || g "
                    + "FROM generate_series(1, 2000) g");
            s.execute("ANALYZE priced");
        }
        db.server().createDatabase(warehouse(db));
        try (Connection src = db.connect(); Connection dst = db.server().connect(warehouse(db))) {
            Files.writeString(dir.resolve("p.yaml"), file(db, "  - tables: [priced]"));
            CliProcess run = CliProcess.run(dir, env(db), "run", "p.yaml", "--quiet");
            assertThat(run.exitCode).as(run.toString()).isZero();
            String sum = "SELECT count(*) || ':' || md5(string_agg(p::text, '|' ORDER BY id)) FROM priced p";
            assertThat(one(dst, sum)).isEqualTo(one(src, sum)).startsWith("2000:");
            assertThat(one(dst, "SELECT attgenerated::text || ':' || pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a "
                    + "JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                    + "WHERE a.attrelid = 'priced'::regclass AND a.attname = 'total'"))
                    .isEqualTo(one(src, "SELECT attgenerated::text || ':' || pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a "
                            + "JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                            + "WHERE a.attrelid = 'priced'::regclass AND a.attname = 'total'"))
                    .startsWith("s:");
        } finally {
            db.server().dropDatabase(warehouse(db));
        }
    }

    @Test
    void aKeyTheTargetRefusesFailsItsStreamWithExit1NamingItAndTheNextRunAddsIt(TestDatabase db, @TempDir Path dir)
            throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE codes (id int PRIMARY KEY, code text NOT NULL UNIQUE)");
            s.execute("INSERT INTO codes SELECT g, 'c' || g FROM generate_series(1, 1000) g");
            s.execute("CREATE TABLE other (id int PRIMARY KEY)");
            s.execute("INSERT INTO other SELECT generate_series(1, 1000)");
            s.execute("ANALYZE");
        }
        db.server().createDatabase(warehouse(db));
        try (Connection dst = db.server().connect(warehouse(db))) {
            try (Statement s = dst.createStatement()) { // a row the load adds to: its code comes twice
                s.execute("CREATE TABLE codes (id int NOT NULL, code text NOT NULL)");
                s.execute("INSERT INTO codes VALUES (0, 'c7')");
            }
            Files.writeString(dir.resolve("p.yaml"), file(db, "  - tables: [codes, other]"));
            CliProcess first = CliProcess.run(dir, env(db), "run", "p.yaml", "--quiet");
            assertThat(first.exitCode).as(first.toString()).isEqualTo(1);
            assertThat(first.err).contains("etlpool: stream 'codes' failed: ", "its rows are loaded, but table public.codes: "
                    + "unique constraint \"codes_code_key\" could not be added", "1 of 2 streams did not finish");
            assertThat(one(dst, "SELECT count(*) FROM codes")).isEqualTo("1001");
            assertThat(one(dst, "SELECT count(*) FROM pg_constraint WHERE conname IN ('codes_pkey', 'codes_code_key')"))
                    .as("none of its keys: they go in together").isEqualTo("0");
            assertThat(one(dst, "SELECT count(*) FROM pg_constraint WHERE conname = 'other_pkey'"))
                    .as("the other stream's table is complete").isEqualTo("1");
            try (Statement s = dst.createStatement()) {
                s.execute("DELETE FROM codes WHERE id = 0");
            }
            CliProcess second = CliProcess.run(dir, env(db), "run", "p.yaml", "--quiet");
            assertThat(second.exitCode).as(second.toString()).isZero();
            assertThat(one(dst, "SELECT count(*) FROM pg_constraint WHERE conname IN ('codes_pkey', 'codes_code_key')"))
                    .isEqualTo("2");
        } finally {
            db.server().dropDatabase(warehouse(db));
        }
    }
}
