package io.etlpool.cli;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import static io.etlpool.cli.JobCommandsTest.count;
import static io.etlpool.cli.JobCommandsTest.env;
import static org.assertj.core.api.Assertions.assertThat;

/** An incremental job file end to end: runs that load what is new, the status, and refusals with exit 2. */
@PostgresTest
class IncrementalRunCommandTest {

    private static String jobFile(TestDatabase db, String query, String incremental) {
        return String.join("\n",
                "name: events",
                "source:",
                "  url: " + db.jdbcUrl(),
                "  user: " + db.user(),
                "  password: ${PW}",
                "  query: " + query,
                "  partitions: 2",
                "target:",
                "  url: " + db.jdbcUrl(),
                "  user: " + db.user(),
                "  password: ${PW}",
                "  table: events_copy",
                "  createTable: true",
                "incremental: " + incremental,
                "chunkSize: 500",
                "");
    }

    @Test
    void eachRunLoadsTheRowsPastTheWatermarkAndStatusShowsIt(TestDatabase db, @TempDir Path dir) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE events (id bigserial PRIMARY KEY, payload text NOT NULL)");
            s.execute("INSERT INTO events (payload) SELECT 'e' || g FROM generate_series(1, 3000) g");
        }
        Files.writeString(dir.resolve("job.yaml"), jobFile(db, "SELECT * FROM events", "{cursor: id}"));
        CliProcess before = CliProcess.run(dir, env(db), "status", "job.yaml");
        assertThat(before.out).as(before.toString()).contains("watermark (id): none yet (the job has not run)");

        CliProcess first = CliProcess.run(dir, env(db), "run", "job.yaml", "--quiet", "--report", "run.json");
        assertThat(first.exitCode).as(first.toString()).isZero();
        assertThat(first.out).contains("rows written           3,000", "increment              increment 1 of id: "
                + "[first row, 3001)");
        assertThat(Files.readString(dir.resolve("run.json"))).contains("\"increment\":\"increment 1 of id");

        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO events (payload) SELECT 'new' || g FROM generate_series(1, 250) g");
        }
        CliProcess second = CliProcess.run(dir, env(db), "run", "job.yaml", "--quiet");
        assertThat(second.exitCode).as(second.toString()).isZero();
        assertThat(second.out).contains("rows written           250", "increment 2 of id: [3001, 3251)")
                .doesNotContain("had already finished");
        assertThat(count(db, "SELECT count(*) FROM events_copy")).isEqualTo(3_250);
        assertThat(count(db, "SELECT count(*) FROM (SELECT * FROM events EXCEPT SELECT * FROM events_copy) d")).isZero();

        CliProcess status = CliProcess.run(dir, env(db), "status", "job.yaml");
        assertThat(status.exitCode).as(status.toString()).isZero();
        assertThat(status.out).contains("watermark (id): 3251 (rows below it are loaded)",
                "last increment 2: [3001, 3251), done");
    }

    @Test
    void aNullableOrUnorderedCursorExitsWith2BeforeAnyRowMoves(TestDatabase db, @TempDir Path dir) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE events (id bigint PRIMARY KEY, changed timestamptz, doc jsonb NOT NULL)");
            s.execute("INSERT INTO events VALUES (1, now(), '{}')");
        }
        Files.writeString(dir.resolve("job.yaml"), jobFile(db, "SELECT * FROM events", "{cursor: changed}"));
        CliProcess nullable = CliProcess.run(dir, env(db), "run", "job.yaml");
        assertThat(nullable.exitCode).as(nullable.toString()).isEqualTo(2);
        assertThat(nullable.err).contains("etlpool: job.yaml: job 'events': incremental cursor changed may be NULL");

        Files.writeString(dir.resolve("job.yaml"), jobFile(db, "SELECT * FROM events", "{cursor: doc}"));
        CliProcess unordered = CliProcess.run(dir, env(db), "run", "job.yaml");
        assertThat(unordered.exitCode).as(unordered.toString()).isEqualTo(2);
        assertThat(unordered.err).contains("incremental cursor doc is of type jsonb, which has no order");
        assertThat(count(db, "SELECT count(*) FROM pg_class WHERE relname = 'events_copy'")).isZero();

        Files.writeString(dir.resolve("job.yaml"), jobFile(db, "SELECT * FROM events", "{cursor: id}")
                .replace("  createTable: true", "  createTable: true\n  mode: upsert"));
        CliProcess noKey = CliProcess.run(dir, env(db), "run", "job.yaml");
        assertThat(noKey.exitCode).as(noKey.toString()).isEqualTo(2);
        assertThat(noKey.err).contains("mode UPSERT needs key columns");
    }
}
