package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.etlpool.etl.EtlFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A table without a key, cut into block ranges ({@code partitionColumn("ctid")}): copied exactly on
 * every path, a retry resumes after the last ctid in the run's snapshot although rows move meanwhile, a
 * new run resumes an unchanged table exactly and refuses one whose rows may have moved.
 */
@PostgresTest
class BlockRangesTest {

    private static final int ROWS = 20_000;

    /** Every row twice: no column or set of columns is a key. */
    private static void createKeylessSource(Statement s) throws SQLException {
        s.execute("CREATE TABLE src (n int, t text, f float8)");
        s.execute("CREATE TABLE dst (LIKE src)");
        for (int i = 0; i < 2; i++) {
            s.execute("INSERT INTO src SELECT g, 'row ' || g, g / 3.0 FROM generate_series(1, " + ROWS / 2 + ") g");
        }
    }

    private static EtlJob.Builder job(EtlPool pool, String name) {
        return EtlJob.builder(name).source(pool, "SELECT * FROM src").partitionColumn("ctid").partitions(3)
                .chunkSize(1_000).target(pool, "dst").retryBackoff(Duration.ofMillis(10));
    }

    @Test
    void aKeylessTableIsCopiedExactlyByTheRelayByBinaryRowsAndByTheRowPath(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect(); Statement s = c.createStatement()) {
            createKeylessSource(s);
            JobResult relay = job(pool, "relay").build().run();
            assertThat(relay.path()).isEqualTo("binary relay");
            assertThat(relay.partitions()).hasSize(3);
            assertThat(relay.partitions().get(0).range()).isEqualTo("[(0,0), (" + blocks(c) / 3 + ",0))");
            assertThat(RowDiff.between(c, "src", "dst")).isEmpty();

            s.execute("TRUNCATE dst");
            JobResult transformed = job(pool, "transformed").transform(RowTransform.map(r -> r.with("t", r.get("t"))))
                    .build().run();
            assertThat(transformed.path()).startsWith("binary rows");
            assertThat(RowDiff.between(c, "src", "dst")).isEmpty();

            s.execute("TRUNCATE dst");
            JobResult rows = job(pool, "rows").binaryRelay(false).build().run();
            assertThat(rows.path()).isEqualTo("rows (reason: binaryRelay is off)");
            assertThat(rows.rowsWritten()).isEqualTo(ROWS);
            assertThat(RowDiff.between(c, "src", "dst")).isEmpty();
        }
    }

    @Test
    void aRetryResumesAfterTheLastCtidInTheRunsSnapshotWhileRowsMove(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect(); Statement s = c.createStatement()) {
            createKeylessSource(s);
            s.execute("CREATE TABLE before AS SELECT * FROM src");
            BinaryRelayTest.failOnce(s, "NEW.n = 9000", "40001");
            AtomicBoolean moved = new AtomicBoolean();
            // once the first chunk is in, every tenth row is written again elsewhere (after the run's snapshot)
            ProgressListener mover = e -> {
                if (moved.compareAndSet(false, true)) {
                    try (Connection other = db.connect(); Statement u = other.createStatement()) {
                        u.execute("UPDATE src SET f = f WHERE n % 10 = 0");
                    } catch (SQLException ex) {
                        throw new IllegalStateException(ex);
                    }
                }
            };
            JobResult r = job(pool, "moving").parallelism(1).listener(mover).build().run();
            assertThat(moved).isTrue();
            assertThat(r.retries()).isEqualTo(1);
            assertThat(r.snapshot()).isEqualTo("one snapshot for all partitions");
            assertThat(RowDiff.between(c, "before", "dst")).isEmpty();
        }
    }

    @Test
    void aNewRunResumesAnUnchangedTableExactly(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect(); Statement s = c.createStatement()) {
            createKeylessSource(s);
            BinaryRelayTest.failOnce(s, "NEW.n = 6000", "P0001");
            JobResult rest = BinaryRelayTest.stoppedThenResumedExactly(c, job(pool, "resumed").parallelism(1), ROWS);
            assertThat(rest.partitions()).anyMatch(PartitionResult::resumed);
        }
    }

    @Test
    void aNewRunRefusesWhenRowsWereWrittenOrTheTableRewrittenSinceThePlan(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect(); Statement s = c.createStatement()) {
            createKeylessSource(s);
            BinaryRelayTest.failOnce(s, "NEW.n = 6000", "P0001");
            EtlJob.Builder b = job(pool, "changed").parallelism(1);
            assertThatThrownBy(() -> b.build().run()).hasMessageContaining("simulated failure");
            long before = count(c, "dst");
            assertThat(before).isBetween(1L, ROWS - 1L);

            s.execute("UPDATE src SET t = t WHERE n = 3");
            assertThatThrownBy(() -> b.build().run()).hasMessageContaining("cannot resume by ctid")
                    .hasMessageContaining("row versions written since the job's plan was made");
            assertThat(count(c, "dst")).isEqualTo(before);

            s.execute("VACUUM FULL src");
            assertThatThrownBy(() -> b.build().run()).hasMessageContaining("cannot resume by ctid")
                    .hasMessageContaining("was rewritten");
            assertThat(count(c, "dst")).isEqualTo(before);
        }
    }

    @Test
    void blockRangesNeedAWholeTable(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            createKeylessSource(s);
            assertThatThrownBy(() -> EtlJob.builder("query").source(pool, "SELECT n FROM src WHERE n > 5")
                    .partitionColumn("ctid").target(pool, "dst").build().run())
                    .hasMessageContaining("partitionColumn ctid cuts one table into block ranges");
            assertThat(count(c, "dst")).isZero();
        }
    }

    private static long blocks(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT pg_relation_size('src') / current_setting('block_size')::int")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
