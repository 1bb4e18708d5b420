package io.etlpool;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.etlpool.TestPools.backendPid;
import static io.etlpool.TestPools.builder;
import static io.etlpool.TestPools.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** pg_terminate_backend of every session while some connections are idle and some in use. */
@PostgresTest
class KilledSessionsTest {

    @Test
    void inUseBorrowersGetAnErrorAndNoKilledConnectionIsEverLent(TestDatabase db) throws SQLException {
        try (EtlPool pool = builder(db).minSize(4).maxSize(4).keepaliveInterval(Duration.ZERO).build()) {
            eventually(Duration.ofSeconds(5), "4 open", () -> pool.stats().total() == 4);
            Set<Integer> killed = new HashSet<>();
            List<Connection> inUse = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Connection c = pool.getConnection();
                killed.add(backendPid(c));
                inUse.add(c);
            }
            try (Lease idleOnes = pool.acquire(2)) {
                killed.add(backendPid(idleOnes.get(0)));
                killed.add(backendPid(idleOnes.get(1)));
            } // these two are idle when the sessions are killed
            assertThat(killed).hasSize(4);

            assertThat(db.terminateBackends()).isEqualTo(4);

            for (Connection c : inUse) {
                assertThatThrownBy(() -> c.createStatement().execute("SELECT 1"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isIn("57P01", "08006", "08003"));
                c.close(); // discarded, not reused
            }
            assertThat(pool.stats().brokenDiscarded()).isEqualTo(2);
            for (int i = 0; i < 20; i++) {
                try (Connection c = pool.getConnection()) {
                    assertThat(killed).doesNotContain(backendPid(c));
                }
            }
            eventually(Duration.ofSeconds(5), "refilled to minSize with new sessions",
                    () -> pool.stats().total() == 4 && db.backendCount() == 4);
        }
    }
}
