package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static io.etlpool.etl.EtlFixtures.checksum;
import static io.etlpool.etl.EtlFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;

/** The JVM running a pipeline is killed (SIGKILL) mid-run: the next run ends with exactly the source rows. */
@PostgresTest(dedicatedServer = true)
class PipelineCrashTest {

    private static final int ROWS = 20_000;

    @Test
    void aPipelineKilledWithSigkillResumesEveryStreamExactlyOnce(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            for (int i = 0; i < KillablePipelineMain.STREAMS; i++) {
                EtlFixtures.createSource(c, "src" + i, ROWS);
                EtlFixtures.createTarget(c, "dst" + i);
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KillablePipelineMain.class.getName(), db.jdbcUrl(), db.user()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("ETL_TEST_PASSWORD", db.password());
        Process child = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (committedRows(db) < 12_000) {
                assertThat(child.isAlive()).as("the child is still running").isTrue();
                assertThat(System.nanoTime() - deadline).as("the child made progress in time").isNegative();
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback
            child.waitFor(10, TimeUnit.SECONDS);
        }
        long leftBehind = 0;
        try (Connection c = db.connect()) {
            for (int i = 0; i < KillablePipelineMain.STREAMS; i++) {
                leftBehind += count(c, "dst" + i);
            }
        }
        long all = (long) ROWS * KillablePipelineMain.STREAMS;
        assertThat(leftBehind).isBetween(12_000L, all - 1);

        try (EtlPool pool = EtlFixtures.pool(db, 8); Connection c = db.connect()) {
            PipelineResult rest = KillablePipelineMain.pipeline(pool, ProgressListener.NONE).run();
            assertThat(rest.failed()).as(rest.toJson()).isFalse();
            assertThat(rest.rowsWritten()).isEqualTo(all - leftBehind);
            for (int i = 0; i < KillablePipelineMain.STREAMS; i++) {
                assertThat(checksum(c, "dst" + i)).isEqualTo(checksum(c, "src" + i));
            }
            assertThat(KillablePipelineMain.pipeline(pool, ProgressListener.NONE).run().rowsWritten()).isZero();
        }
    }

    private static long committedRows(TestDatabase db) {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(sum(rows_done), 0) FROM etlpool_checkpoint "
                     + "WHERE job LIKE 'crashp.%'")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException notYetCreated) {
            return 0;
        }
    }
}
