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

/** Pipeline files end to end: patterns and exclusions, a query stream, status and reset per stream, exit 2 cases. */
@PostgresTest
class PipelineFileTest {

    private static String top(TestDatabase db, String extraTarget) {
        return PipelineFiles.top(db, "shop", extraTarget, 6);
    }

    private static String warehouse(TestDatabase db) {
        return PipelineFiles.warehouse(db);
    }

    private static Map<String, String> env(TestDatabase db) {
        return PipelineFiles.env(db);
    }

    private static void shop(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE sales_a (id int PRIMARY KEY, amount int NOT NULL)");
            s.execute("INSERT INTO sales_a SELECT g, g FROM generate_series(1, 3000) g");
            s.execute("CREATE TABLE sales_b (id bigint PRIMARY KEY, note text)");
            s.execute("INSERT INTO sales_b SELECT g, 'n' || g FROM generate_series(1, 2000) g");
            s.execute("CREATE INDEX sales_b_note ON sales_b (note)");
            s.execute("ALTER TABLE sales_b ADD CONSTRAINT sales_b_a FOREIGN KEY (id) REFERENCES sales_a");
            s.execute("CREATE TABLE sales_tmp (id int PRIMARY KEY)");
            s.execute("CREATE TABLE nokey (v text)");
            s.execute("INSERT INTO nokey VALUES ('a'), ('b')");
            s.execute("ANALYZE");
        }
        db.server().createDatabase(warehouse(db));
    }

    private static long count(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.server().connect(warehouse(db)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void patternsAndAQueryStreamRunAndStatusAndResetWorkPerStream(TestDatabase db, @TempDir Path dir) throws Exception {
        shop(db);
        try {
            Files.writeString(dir.resolve("p.yaml"), top(db, "  mode: truncate-insert") + String.join("\n",
                    "  - tables: [public.sales_*]",
                    "    exclude: [sales_tmp]",
                    "  - name: big",
                    "    source:",
                    "      query: SELECT id, amount FROM sales_a WHERE amount > 1000",
                    "      partitionColumn: id",
                    "    target: {table: big_sales}",
                    ""));
            CliProcess run = CliProcess.run(dir, env(db), "run", "p.yaml", "--report", "r.json");
            assertThat(run.exitCode).as(run.toString()).isZero();
            assertThat(run.out).contains("stream sales_a starts: about 3,000 rows", "stream big: loaded 2,000 rows",
                    "sales_b", "total", "3 streams", "connection budget");
            assertThat(count(db, "SELECT count(*) FROM sales_a")).isEqualTo(3000);
            assertThat(count(db, "SELECT count(*) FROM sales_b")).isEqualTo(2000);
            assertThat(count(db, "SELECT count(*) FROM big_sales")).isEqualTo(2000);
            assertThat(count(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'sales_tmp'")).isZero();
            // whole tables come with their keys, indexes and foreign keys, added after the load
            assertThat(count(db, "SELECT count(*) FROM pg_constraint WHERE conrelid = 'sales_a'::regclass AND contype = 'p'"))
                    .isEqualTo(1);
            assertThat(count(db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'sales_b_note'")).isEqualTo(1);
            assertThat(count(db, "SELECT count(*) FROM pg_constraint WHERE conname = 'sales_b_a' AND contype = 'f'"))
                    .isEqualTo(1);
            assertThat(Files.readString(dir.resolve("r.json"))).contains("\"pipeline\":\"shop\"", "\"stream\":\"shop.sales_a\"",
                    "\"status\":\"loaded\"", "\"rowsWritten\":7000");

            CliProcess status = CliProcess.run(dir, env(db), "status", "p.yaml");
            assertThat(status.exitCode).as(status.toString()).isZero();
            assertThat(status.out).containsPattern("sales_a +done +3,000 +\\d+/\\d+")
                    .containsPattern("big +done +2,000");

            CliProcess reset = CliProcess.run(dir, env(db), "reset", "p.yaml", "--stream", "sales_b");
            assertThat(reset.exitCode).as(reset.toString()).isZero();
            assertThat(reset.out).contains("Stream 'sales_b': removed the checkpoints").doesNotContain("sales_a");
            CliProcess after = CliProcess.run(dir, env(db), "status", "p.yaml");
            assertThat(after.out).containsPattern("sales_b +not started").containsPattern("sales_a +done");
            CliProcess unknown = CliProcess.run(dir, env(db), "reset", "p.yaml", "--stream", "nope");
            assertThat(unknown.exitCode).isEqualTo(2);
            assertThat(unknown.err).contains("no stream 'nope'", "sales_a, sales_b, big");

            CliProcess again = CliProcess.run(dir, env(db), "run", "p.yaml", "--quiet");
            assertThat(again.exitCode).as(again.toString()).isZero();
            assertThat(again.out).containsPattern("sales_a +already complete").containsPattern("sales_b +loaded +2,000");
            assertThat(count(db, "SELECT count(*) FROM sales_b")).isEqualTo(2000);
        } finally {
            db.server().dropDatabase(warehouse(db));
        }
    }

    @Test
    void aFailingStreamIsNamedWithItsReasonAndExit1WhileTheOthersLoad(TestDatabase db, @TempDir Path dir) throws Exception {
        shop(db);
        try {
            try (Connection c = db.server().connect(warehouse(db)); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE small (id int, amount int CHECK (amount < 100))");
            }
            Files.writeString(dir.resolve("p.yaml"), top(db, "") + String.join("\n",
                    "  - tables: [sales_a]",
                    "  - name: bad",
                    "    source:",
                    "      query: SELECT id, amount FROM sales_a",
                    "      partitionColumn: id",
                    "    target: {table: small}",
                    ""));
            CliProcess run = CliProcess.run(dir, env(db), "run", "p.yaml", "--quiet", "--report", "r.json");
            assertThat(run.exitCode).as(run.toString()).isEqualTo(1);
            assertThat(run.err).contains("etlpool: stream 'bad' failed: ", "1 of 2 streams did not finish",
                    "etlpool run p.yaml");
            assertThat(run.out).containsPattern("sales_a +loaded +3,000").containsPattern("bad +failed");
            assertThat(Files.readString(dir.resolve("r.json"))).contains("\"failed\":true", "\"streamsFailed\":1",
                    "\"stream\":\"shop.bad\",\"table\":\"small\",\"status\":\"failed\"");
            assertThat(count(db, "SELECT count(*) FROM sales_a")).isEqualTo(3000);
        } finally {
            db.server().dropDatabase(warehouse(db));
        }
    }

    @Test
    void anIncrementalStreamLoadsOnlyWhatChangedOnTheNextRun(TestDatabase db, @TempDir Path dir) throws Exception {
        shop(db);
        try {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE ev (id int PRIMARY KEY, v int NOT NULL, at timestamptz NOT NULL)");
                s.execute("INSERT INTO ev SELECT g, g, now() - interval '1 day' FROM generate_series(1, 3000) g");
                s.execute("CREATE TABLE maybe (id int PRIMARY KEY, at timestamptz)");
            }
            Files.writeString(dir.resolve("p.yaml"), top(db, "") + String.join("\n",
                    "  - tables: [ev]",
                    "    incremental: {cursor: at}",
                    "    target: {mode: upsert}",
                    "  - tables: [sales_a]",
                    ""));
            CliProcess first = CliProcess.run(dir, env(db), "run", "p.yaml", "--quiet");
            assertThat(first.exitCode).as(first.toString()).isZero();
            assertThat(first.out).containsPattern("ev +loaded +3,000");
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO ev SELECT g, g, now() FROM generate_series(3001, 3010) g");
                s.execute("UPDATE ev SET v = -v, at = now() WHERE id <= 5");
            }
            Thread.sleep(1_500); // a run leaves what was written in its last second to the next run
            CliProcess second = CliProcess.run(dir, env(db), "run", "p.yaml", "--quiet");
            assertThat(second.exitCode).as(second.toString()).isZero();
            assertThat(second.out).containsPattern("ev +loaded +15").containsPattern("sales_a +already complete");
            assertThat(count(db, "SELECT count(*) FROM ev")).isEqualTo(3010);
            assertThat(count(db, "SELECT count(*) FROM ev WHERE v < 0")).isEqualTo(5);
            CliProcess status = CliProcess.run(dir, env(db), "status", "p.yaml");
            assertThat(status.out).contains("incremental on at: watermark");

            Files.writeString(dir.resolve("p.yaml"), top(db, "") + "  - tables: [sales_b]\n  - tables: [maybe]\n"
                    + "    incremental: {cursor: at}\n");
            CliProcess nullable = CliProcess.run(dir, env(db), "run", "p.yaml");
            assertThat(nullable.exitCode).as(nullable.toString()).isEqualTo(2);
            assertThat(nullable.err).contains("incremental cursor at may be", "Nothing was moved");
            assertThat(count(db, "SELECT count(*) FROM pg_tables WHERE tablename IN ('maybe', 'sales_b')")).isZero();
        } finally {
            db.server().dropDatabase(warehouse(db));
        }
    }

    @Test
    void badPipelinesExitWith2BeforeAnythingMoves(TestDatabase db, @TempDir Path dir) throws Exception {
        shop(db);
        try {
            expectUsage(db, dir, top(db, "") + "  - tables: [public.sales_*]\n  - tables: [nosuch_*]\n",
                    "p.yaml line 16: tables pattern 'nosuch_*' matches no table in the source", "sales_a");
            expectUsage(db, dir, top(db, "") + "  - tables: [sales_a]\n    exclude: [sales_zz]\n",
                    "exclude pattern 'sales_zz' matches no table");
            expectUsage(db, dir, top(db, "") + "  - tables: [sales_a]\n  - name: again\n    source: {query: SELECT 1 AS id, "
                    + "partitionColumn: id}\n    target: {table: Sales_A}\n", "streams 'shop.sales_a' and 'shop.again' both "
                    + "write table sales_a");
            expectUsage(db, dir, top(db, "  mode: upsert") + "  - name: up\n    source: {query: SELECT 1 AS id, "
                    + "partitionColumn: id}\n    target: {table: t}\n", "mode UPSERT needs key columns");
            expectUsage(db, dir, top(db, "  mode: upsert") + "  - tables: [sales_a, nokey]\n",
                    "table nokey has no primary key");
            expectUsage(db, dir, top(db, "") + "  - tables: [sales_a]\n    target: {url: jdbc:postgresql://elsewhere/x}\n",
                    "a stream cannot set 'target.url'");
            expectUsage(db, dir, top(db, "") + "  - tables: [sales_a]\n    target: {table: x}\n",
                    "takes no 'target.table'");
            expectUsage(db, dir, top(db, "") + "  - tables: [sales_a]\n    partitons: 3\n",
                    "unknown key 'partitons'");
        } finally {
            db.server().dropDatabase(warehouse(db));
        }
    }

    private static void expectUsage(TestDatabase db, Path dir, String file, String... messages) throws Exception {
        Files.writeString(dir.resolve("p.yaml"), file);
        CliProcess p = CliProcess.run(dir, env(db), "run", "p.yaml");
        assertThat(p.exitCode).as(p.toString()).isEqualTo(2);
        assertThat(p.err).contains(messages);
        assertThat(count(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).as("nothing moved").isZero();
    }
}
