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

/** {@code etlpool run job.yaml} end to end, in a child process, against the embedded PostgreSQL. */
@PostgresTest
class RunCommandTest {

    private static String jobFile(TestDatabase db, String extraTarget) {
        return String.join("\n",
                "name: cli-job",
                "source:",
                "  url: " + db.jdbcUrl(),
                "  user: " + db.user(),
                "  password: ${SRC_PASSWORD}",
                "  query: SELECT id, amount FROM src",
                "  partitionColumn: id",
                "  partitions: 3",
                "target:",
                "  url: " + db.jdbcUrl(),
                "  user: " + db.user(),
                "  password: ${DST_PASSWORD}",
                "  table: dst",
                "  createTable: true" + extraTarget,
                "columns:",
                "  id: id",
                "  amount_cents: amount * 100",
                "parallelism: 2",
                "chunkSize: 1000",
                "");
    }

    private static Map<String, String> env(TestDatabase db) {
        return Map.of("SRC_PASSWORD", db.password(), "DST_PASSWORD", db.password());
    }

    @Test
    void runsAJobFileWritesTheReportAndASecondRunIsANoOp(TestDatabase db, @TempDir Path dir) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id int PRIMARY KEY, amount numeric(8,2))");
            s.execute("INSERT INTO src SELECT g, g / 4.0 FROM generate_series(1, 9000) g");
        }
        Files.writeString(dir.resolve("job.yaml"), jobFile(db, ""));

        CliProcess first = CliProcess.run(dir, env(db), "run", "job.yaml", "--report", "run.json");
        assertThat(first.exitCode).as(first.toString()).isZero();
        assertThat(first.out).contains("rows written           9,000", "borrow wait p50 / p99", "path                   binary relay");
        assertThat(first.out + first.err).doesNotContain(db.password());
        assertThat(Files.readString(dir.resolve("run.json"))).contains("\"rowsWritten\":9000", "\"job\":\"cli-job\"",
                "\"path\":\"binary relay\"");
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), sum(amount_cents) FROM dst")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(9000);
            assertThat(rs.getBigDecimal(2)).isEqualByComparingTo("1012612500"); // 25 * (1 + ... + 9000)
        }

        CliProcess second = CliProcess.run(dir, env(db), "run", "job.yaml", "--quiet");
        assertThat(second.exitCode).as(second.toString()).isZero();
        assertThat(second.out).contains("had already finished: nothing to do");
    }

    @Test
    void aBadJobFileExitsWith2NamingFileLineAndKey(TestDatabase db, @TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("job.yaml"), jobFile(db, "").replace("  partitions: 3", "  partitons: 3"));
        CliProcess r = CliProcess.run(dir, env(db), "run", "job.yaml");
        assertThat(r.exitCode).as(r.toString()).isEqualTo(2);
        assertThat(r.err).contains("job.yaml line 8: unknown key 'partitons' (did you mean 'partitions'?)");

        Files.writeString(dir.resolve("job.yaml"), jobFile(db, "\n  key: {a: b}"));
        CliProcess shape = CliProcess.run(dir, env(db), "run", "job.yaml");
        assertThat(shape.exitCode).as(shape.toString()).isEqualTo(2);
        assertThat(shape.err).contains("job.yaml line 15: 'key' must be a column name or a list of them")
                .doesNotContain("Exception");

        Files.writeString(dir.resolve("job.yaml"), jobFile(db, "").replace("url: jdbc:", "url: "));
        CliProcess url = CliProcess.run(dir, env(db), "run", "job.yaml");
        assertThat(url.exitCode).as(url.toString()).isEqualTo(2);
        assertThat(url.err).contains("job.yaml line 3: 'url' must be a JDBC URL, starting with jdbc:")
                .doesNotContain("Exception");

        CliProcess usage = CliProcess.run(dir, env(db), "run");
        assertThat(usage.exitCode).isEqualTo(2);
        assertThat(usage.err).contains("Missing required parameter");
    }

    @Test
    void aFailedJobExitsWith1NamingThePartitionAndKey(TestDatabase db, @TempDir Path dir) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id int PRIMARY KEY, amount numeric(8,2))");
            s.execute("INSERT INTO src SELECT g, CASE WHEN g = 777 THEN -1 ELSE g END FROM generate_series(1, 3000) g");
            s.execute("CREATE TABLE dst (id int PRIMARY KEY, amount_cents numeric CHECK (amount_cents >= 0))");
        }
        Files.writeString(dir.resolve("job.yaml"), jobFile(db, ""));
        CliProcess r = CliProcess.run(dir, env(db), "run", "job.yaml", "--quiet");
        assertThat(r.exitCode).as(r.toString()).isEqualTo(1);
        assertThat(r.err).startsWith("etlpool: job 'cli-job' failed: job 'cli-job' partition 0 [1, 1000) stopped on a "
                + "data error at the row with id 777");
    }
}
