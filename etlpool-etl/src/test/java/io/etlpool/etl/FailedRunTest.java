package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static io.etlpool.etl.EtlFixtures.checksum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A failed run returns only when every partition task has ended: nothing of it goes on behind a re-run. */
@PostgresTest
class FailedRunTest {

    private static int waitingForTheGate(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks "
                + "WHERE locktype = 'advisory' AND objid = 4242 AND NOT granted")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aFailedRunHasStoppedEveryPartitionWhenItReturnsSoAReRunLoadsEachRowOnce(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            EtlFixtures.createSource(c, "src", 200);
            EtlFixtures.createTarget(c, "dst");
            // rows of the second partition wait at a gate (an advisory lock this test holds) while being written
            s.execute("CREATE FUNCTION gate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "IF NEW.id > 100 THEN PERFORM pg_advisory_xact_lock_shared(4242); END IF; RETURN NEW; END $$");
            s.execute("CREATE TRIGGER gate BEFORE INSERT ON dst FOR EACH ROW EXECUTE FUNCTION gate()");
        }
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection gate = db.connect(); Connection check = db.connect()) {
            try (Statement s = gate.createStatement()) {
                s.execute("SELECT pg_advisory_lock(4242)");
            }
            EtlJob.Builder job = EtlJob.builder("two-parts").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(2).parallelism(2).chunkSize(1_000).target(pool, "dst");
            RowTransform failsOnceTheOtherWaits = r -> {
                if ((Long) r.get("id") <= 100) {
                    try {
                        for (int i = 0; i < 600 && waitingForTheGate(check) == 0; i++) {
                            Thread.sleep(100);
                        }
                    } catch (SQLException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    throw new IllegalStateException("simulated failure in the first partition");
                }
                return List.of(r);
            };
            assertThatThrownBy(() -> job.transform(failsOnceTheOtherWaits).build().run())
                    .hasMessageContaining("simulated failure");
            assertThat(waitingForTheGate(check)).as("no partition of the failed run still runs").isZero();

            try (Statement s = gate.createStatement()) {
                s.execute("SELECT pg_advisory_unlock(4242)");
            }
            job.transform(RowTransform.identity()).build().run();
            assertThat(checksum(check, "dst")).isEqualTo(checksum(check, "src"));
        }
    }
}
