package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.etlpool.etl.EtlFixtures.checksum;
import static io.etlpool.etl.EtlFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A job is what it does, not just its name: checkpoints of another job of the same name are not resumed. */
@PostgresTest
class JobIdentityTest {

    private static final int ROWS = 3_000;

    @Test
    void aCopiedJobWithTheSameNameButAnotherTargetIsRefusedInsteadOfDoingNothing(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect()) {
            EtlFixtures.createSource(c, "src", ROWS);
            EtlFixtures.createTarget(c, "dst_a");
            EtlFixtures.createTarget(c, "dst_b");
            EtlJob.builder("orders").source(pool, "SELECT * FROM src").partitionColumn("id").partitions(2)
                    .target(pool, "dst_a").build().run();

            EtlJob copy = EtlJob.builder("orders").source(pool, "SELECT * FROM src").partitionColumn("id").partitions(2)
                    .target(pool, "dst_b").build();
            assertThatThrownBy(copy::run).isInstanceOf(EtlException.class)
                    .hasMessageContaining("target table changed from 'dst_a' to 'dst_b'")
                    .hasMessageContaining("etlpool reset").hasMessageContaining("--restart");
            assertThat(count(c, "dst_b")).isZero();

            assertThat(copy.status().matches()).isFalse();
            assertThat(copy.reset()).isEqualTo(2);
            JobResult fresh = copy.run();
            assertThat(fresh.rowsWritten()).isEqualTo(ROWS);
            assertThat(checksum(c, "dst_b")).isEqualTo(checksum(c, "src"));
        }
    }

    @Test
    void anEditedQueryAndPartitionCountAreNamedAndTheOldPlanIsNotResumed(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect()) {
            EtlFixtures.createSource(c, "src", ROWS);
            EtlFixtures.createTarget(c, "dst");
            AtomicInteger seen = new AtomicInteger();
            assertThatThrownBy(() -> EtlJob.builder("edited").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(4).parallelism(1).chunkSize(500).target(pool, "dst").transform(r -> {
                        if (seen.incrementAndGet() == 1_200) {
                            throw new IllegalStateException("stop");
                        }
                        return List.of(r);
                    }).build().run()).hasMessageContaining("stop");
            long before = count(c, "dst");

            EtlJob edited = EtlJob.builder("edited").source(pool, "SELECT * FROM src WHERE customer < 500")
                    .partitionColumn("id").partitions(2).target(pool, "dst").build();
            assertThatThrownBy(edited::run)
                    .hasMessageContaining("source query changed from 'SELECT * FROM src' to "
                            + "'SELECT * FROM src WHERE customer < 500'")
                    .hasMessageContaining("partitions changed from '4' to '2'");
            assertThat(count(c, "dst")).isEqualTo(before);
        }
    }

    @Test
    void checkpointsWrittenByAnOlderEtlpoolAreNotResumedBlindly(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect(); Statement s = c.createStatement()) {
            EtlFixtures.createSource(c, "src", ROWS);
            EtlFixtures.createTarget(c, "dst");
            // the checkpoint table as the first release wrote it, with a half-done plan of this job's name
            s.execute("CREATE TABLE etlpool_checkpoint (job VARCHAR(100) NOT NULL, part INTEGER NOT NULL, "
                    + "key_type VARCHAR(20), range_lo VARCHAR(100), range_hi VARCHAR(100), last_key VARCHAR(100), "
                    + "rows_done BIGINT NOT NULL, done BOOLEAN NOT NULL, updated_at TIMESTAMP, PRIMARY KEY (job, part))");
            s.execute("INSERT INTO etlpool_checkpoint VALUES ('legacy', 0, 'INTEGER', '1', '3000', '1000', 1000, false, "
                    + "now())");
            EtlJob job = EtlJob.builder("legacy").source(pool, "SELECT * FROM src").partitionColumn("id").partitions(1)
                    .target(pool, "dst").build();
            assertThatThrownBy(job::run).hasMessageContaining("written by an older etlpool")
                    .hasMessageContaining("etlpool reset");
            assertThat(count(c, "dst")).isZero();
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.columns WHERE table_name = "
                    + "'etlpool_checkpoint' AND column_name IN ('fingerprint', 'chunk_seq')")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2); // the table was brought up to date
            }
            job.reset();
            assertThat(job.run().rowsWritten()).isEqualTo(ROWS);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }
}
