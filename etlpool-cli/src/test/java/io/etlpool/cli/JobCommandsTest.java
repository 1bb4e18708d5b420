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

/** {@code etlpool status}, {@code reset}, a resumed run, a failed run's report and a signal, end to end. */
@PostgresTest
class JobCommandsTest {

    private static String jobFile(TestDatabase db, String table, String extra) {
        return String.join("\n",
                "name: cli-ops",
                "source:",
                "  url: " + db.jdbcUrl(),
                "  user: " + db.user(),
                "  password: ${PW}",
                "  query: SELECT id, amount FROM src",
                "  partitionColumn: id",
                "  partitions: 3",
                "target:",
                "  url: " + db.jdbcUrl(),
                "  user: " + db.user(),
                "  password: ${PW}",
                "  table: " + table,
                "parallelism: 1",
                "chunkSize: " + (extra.isEmpty() ? "1000" : extra),
                "");
    }

    static Map<String, String> env(TestDatabase db) {
        return Map.of("PW", db.password());
    }

    static long count(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void tables(TestDatabase db, int rows) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id int PRIMARY KEY, amount int)");
            s.execute("INSERT INTO src SELECT g, g FROM generate_series(1, " + rows + ") g");
            s.execute("CREATE TABLE dst (LIKE src)");
            s.execute("CREATE TABLE other (LIKE src)");
        }
    }

    @Test
    void statusShowsCheckpointsMatchAndLeaseAndResetStartsOver(TestDatabase db, @TempDir Path dir) throws Exception {
        tables(db, 3000);
        Files.writeString(dir.resolve("job.yaml"), jobFile(db, "dst", ""));
        CliProcess none = CliProcess.run(dir, env(db), "status", "job.yaml");
        assertThat(none.exitCode).as(none.toString()).isZero();
        assertThat(none.out).contains("no checkpoints", "lease: free");

        assertThat(CliProcess.run(dir, env(db), "run", "job.yaml", "--quiet").exitCode).isZero();
        CliProcess done = CliProcess.run(dir, env(db), "status", "job.yaml");
        assertThat(done.out).contains("finished: 3 of 3 partitions done, 3,000 rows committed",
                "partition 0 [1, 1000): done", "checkpoints match this job file", "lease: free");

        Files.writeString(dir.resolve("job.yaml"), jobFile(db, "other", ""));
        CliProcess changed = CliProcess.run(dir, env(db), "status", "job.yaml");
        assertThat(changed.out).contains("do NOT match", "target table changed from 'dst' to 'other'", "etlpool reset");
        CliProcess refused = CliProcess.run(dir, env(db), "run", "job.yaml");
        assertThat(refused.exitCode).as(refused.toString()).isEqualTo(2); // a bad job file for these checkpoints
        assertThat(refused.err).contains("target table changed from 'dst' to 'other'", "etlpool reset");

        CliProcess reset = CliProcess.run(dir, env(db), "reset", "job.yaml");
        assertThat(reset.exitCode).as(reset.toString()).isZero();
        assertThat(reset.out).contains("removed the checkpoints of 3 partition(s)",
                "the rows already in other stay: empty the table first, or use mode truncate-insert");
        assertThat(CliProcess.run(dir, env(db), "run", "job.yaml", "--quiet").exitCode).isZero();
        assertThat(count(db, "SELECT count(*) FROM other")).isEqualTo(3000);
    }

    @Test
    void aFailedRunWritesItsReportAndTheNextRunSaysItResumes(TestDatabase db, @TempDir Path dir) throws Exception {
        tables(db, 3000);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE dst ADD CONSTRAINT small CHECK (amount < 2500)"); // the last partition fails
        }
        Files.writeString(dir.resolve("job.yaml"), jobFile(db, "dst", ""));
        CliProcess failed = CliProcess.run(dir, env(db), "run", "job.yaml", "--quiet", "--report", "run.json");
        assertThat(failed.exitCode).as(failed.toString()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("run.json"))).contains("\"failed\":true", "\"rowsWritten\":1999",
                "\"error\":\"job 'cli-ops' partition 2");

        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE dst DROP CONSTRAINT small");
        }
        CliProcess resumed = CliProcess.run(dir, env(db), "run", "job.yaml", "--quiet");
        assertThat(resumed.exitCode).as(resumed.toString()).isZero();
        assertThat(resumed.out).contains("Resuming job 'cli-ops' from its checkpoints: 2 of 3 partitions done in "
                + "earlier runs, 1 to go.");
        assertThat(count(db, "SELECT count(*) FROM dst")).isEqualTo(3000);
    }

    /** A run of 3,000 rows that takes a while (10 ms a row), started once its first chunk has committed. */
    private static CliProcess.Running slowRunUnderWay(TestDatabase db, Path dir) throws Exception {
        tables(db, 3000);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.01); "
                    + "RETURN NEW; END $$");
            s.execute("CREATE TRIGGER slow BEFORE INSERT ON dst FOR EACH ROW EXECUTE FUNCTION slow()");
        }
        Files.writeString(dir.resolve("job.yaml"), jobFile(db, "dst", "100"));
        CliProcess.Running run = CliProcess.start(dir, env(db), "run", "job.yaml", "--quiet");
        for (int i = 0; i < 1200 && count(db, "SELECT count(*) FROM dst") == 0; i++) {
            Thread.sleep(100);
        }
        assertThat(count(db, "SELECT count(*) FROM dst")).as("the run committed a chunk").isPositive();
        return run;
    }

    @Test
    void aSecondRunRefusesWhileOneRunsAndWithWaitQueuesBehindIt(TestDatabase db, @TempDir Path dir) throws Exception {
        CliProcess.Running first = slowRunUnderWay(db, dir);
        CliProcess refused = CliProcess.run(dir, env(db), "run", "job.yaml", "--quiet");
        assertThat(refused.exitCode).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err).contains("job 'cli-ops' is already running: held by host", " pid ", " since ");
        CliProcess status = CliProcess.run(dir, env(db), "status", "job.yaml");
        assertThat(status.out).contains("not finished", "lease: held by host");
        assertThat(CliProcess.run(dir, env(db), "reset", "job.yaml").err).contains("cannot be reset now");

        CliProcess queued = CliProcess.run(dir, env(db), "run", "job.yaml", "--quiet", "--wait=3m");
        assertThat(queued.exitCode).as(queued.toString()).isZero();
        assertThat(queued.out).contains("had already finished: nothing to do");
        assertThat(first.await().exitCode).isZero();
        assertThat(count(db, "SELECT count(*) FROM dst")).isEqualTo(3000);
    }

    @Test
    void sigtermSaysWhatWasCommittedAndHowToResume(TestDatabase db, @TempDir Path dir) throws Exception {
        CliProcess.Running run = slowRunUnderWay(db, dir);
        // SIGTERM as a shell or a scheduler sends it (Process.destroy() would also close the output streams)
        new ProcessBuilder("kill", "-TERM", Long.toString(run.process.pid())).start().waitFor();
        CliProcess stopped = run.await();
        assertThat(stopped.err).as(stopped.toString()).contains("stopped by a signal", "rows were committed in this run",
                "Run 'etlpool run job.yaml' again to resume");

        CliProcess rest = CliProcess.run(dir, env(db), "run", "job.yaml", "--quiet");
        assertThat(rest.exitCode).as(rest.toString()).isZero();
        assertThat(count(db, "SELECT count(*) FROM dst")).isEqualTo(3000);
        assertThat(count(db, "SELECT count(DISTINCT id) FROM dst")).isEqualTo(3000);
    }
}
