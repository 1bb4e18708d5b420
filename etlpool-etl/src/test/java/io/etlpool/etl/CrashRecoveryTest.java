package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.etlpool.etl.EtlFixtures.checksum;
import static io.etlpool.etl.EtlFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;

/** The JVM running a job is killed (SIGKILL), and the server restarts during a run: no row lost or doubled. */
@PostgresTest(dedicatedServer = true)
class CrashRecoveryTest {

    private static final int ROWS = 60_000;

    @Test
    void aJobKilledWithSigkillResumesAndEndsWithExactlyTheSourceRows(TestDatabase db) throws Exception {
        long leftBehind = killMidRun(db);
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect()) {
            JobResult rest = KillableJobMain.crashTestJob(pool).build().run();
            assertThat(rest.rowsWritten()).isEqualTo(ROWS - leftBehind);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }

    @Test
    void anIncrementKilledWithSigkillResumesWithItsBoundsAndTheNextLoadsTheRowsAddedMeanwhile(TestDatabase db)
            throws Exception {
        long leftBehind = killMidRun(db, "incremental");
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect(); Statement s = c.createStatement()) {
            // rows added after the killed run's bound: the resumed increment leaves them to the next
            s.executeUpdate("INSERT INTO src SELECT id + " + ROWS + ", customer, amount, note, created, day, flag, payload "
                    + "FROM src WHERE id <= 10000");
            JobResult resumed = KillableJobMain.incrementalCrashTestJob(pool).build().run();
            assertThat(resumed.increment()).contains("increment 1 (resumed)");
            assertThat(resumed.rowsWritten()).isEqualTo(ROWS - leftBehind);
            JobResult next = KillableJobMain.incrementalCrashTestJob(pool).build().run();
            assertThat(next.rowsWritten()).isEqualTo(10_000);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }

    /** Starts the crash job in a child JVM, kills it with SIGKILL midway; returns the rows it left committed. */
    private static long killMidRun(TestDatabase db, String... extraArgs) throws Exception {
        try (Connection c = db.connect()) {
            EtlFixtures.createSource(c, "src", ROWS);
            EtlFixtures.createTarget(c, "dst");
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(javaBin, "-cp",
                System.getProperty("java.class.path"), KillableJobMain.class.getName(), db.jdbcUrl(), db.user()));
        cmd.addAll(java.util.List.of(extraArgs));
        Path log = java.nio.file.Files.createTempFile("etlpool-crash-child", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("ETL_TEST_PASSWORD", db.password());
        Process child = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (committedRows(db) < 8_000) {
                if (!child.isAlive()) {
                    throw new AssertionError("the child ended (exit " + child.exitValue() + ") with "
                            + committedRows(db) + " rows committed, before the test could kill it; its output:\n"
                            + java.nio.file.Files.readString(log));
                }
                assertThat(System.nanoTime() - deadline).as("the child made progress in time").isNegative();
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback, no goodbye
            child.waitFor(10, TimeUnit.SECONDS);
            java.nio.file.Files.deleteIfExists(log);
        }
        long leftBehind;
        try (Connection c = db.connect()) {
            leftBehind = count(c, "dst");
        }
        assertThat(leftBehind).isBetween(8_000L, (long) ROWS - 1);
        return leftBehind;
    }

    @Test
    void aServerRestartDuringARunIsRetriedAndLosesNothing(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            EtlFixtures.createSource(c, "src", ROWS);
            EtlFixtures.createTarget(c, "dst");
        }
        AtomicBoolean restarted = new AtomicBoolean();
        try (EtlPool pool = EtlFixtures.pool(db, 4)) {
            JobResult result = KillableJobMain.crashTestJob(pool).retryBackoff(Duration.ofMillis(100)).listener(e -> {
                if (e.rowsWritten() > 10_000 && restarted.compareAndSet(false, true)) {
                    Thread restart = new Thread(() -> {
                        db.server().stop();
                        sleep(1_000);
                        db.server().start();
                    });
                    restart.start();
                }
            }).build().run();
            assertThat(restarted).isTrue();
            assertThat(result.retries()).isPositive();
            try (Connection c = db.connect()) {
                assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
            }
        }
    }

    private static long committedRows(TestDatabase db) {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(sum(rows_done), 0) FROM etlpool_checkpoint WHERE job = 'crash'")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException notYetCreated) {
            return 0;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
