package io.etlpool;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static io.etlpool.TestPools.backendPid;
import static io.etlpool.TestPools.builder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@PostgresTest
class TransactionTest {

    private static EtlPool pool(TestDatabase db) throws SQLException {
        EtlPool pool = builder(db).maxSize(3).retryBackoff(Duration.ofMillis(10)).build();
        pool.execute("CREATE TABLE acct(id int PRIMARY KEY, balance int)");
        return pool;
    }

    private static long count(EtlPool pool) throws SQLException {
        return pool.query("SELECT count(*) AS n FROM acct").get(0).getLong("n");
    }

    @Test
    void commitsWhenWorkReturnsAndRollsBackWhenItThrows(TestDatabase db) throws SQLException {
        try (EtlPool pool = pool(db)) {
            int result = pool.inTransaction(c -> {
                c.createStatement().execute("INSERT INTO acct VALUES (1, 100)");
                return 42;
            });
            assertThat(result).isEqualTo(42);
            assertThatThrownBy(() -> pool.useTransaction(c -> {
                c.createStatement().execute("INSERT INTO acct VALUES (2, 100)");
                throw new IllegalStateException("business rule broken");
            })).hasMessage("business rule broken");
            assertThat(count(pool)).isEqualTo(1);
            assertThat(pool.stats().active()).isZero();
        }
    }

    @Test
    void aLostConnectionRunsTheWorkAgainOnAFreshOne(TestDatabase db) throws SQLException {
        try (EtlPool pool = pool(db)) {
            AtomicInteger runs = new AtomicInteger();
            pool.useTransaction(c -> {
                c.createStatement().execute("INSERT INTO acct VALUES (1, 100)");
                if (runs.incrementAndGet() == 1) {
                    int pid = backendPid(c);
                    try (var admin = db.connect()) {
                        admin.createStatement().execute("SELECT pg_terminate_backend(" + pid + ")");
                    }
                    c.createStatement().execute("INSERT INTO acct VALUES (2, 100)"); // fails: 57P01
                }
            });
            assertThat(runs).hasValue(2);
            assertThat(count(pool)).isEqualTo(1); // the first attempt's insert was never committed
        }
    }

    @Test
    void serializationFailuresAreRetriedAndDataErrorsAreNot(TestDatabase db) throws SQLException {
        try (EtlPool pool = pool(db)) {
            AtomicInteger runs = new AtomicInteger();
            pool.useTransaction(c -> {
                if (runs.incrementAndGet() < 3) {
                    c.createStatement().execute(
                            "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$");
                }
                c.createStatement().execute("INSERT INTO acct VALUES (7, 1)");
            });
            assertThat(runs).hasValue(3);

            AtomicInteger dataRuns = new AtomicInteger();
            assertThatThrownBy(() -> pool.useTransaction(c -> {
                dataRuns.incrementAndGet();
                c.createStatement().execute("INSERT INTO acct VALUES (7, 2)"); // duplicate key
            })).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
            assertThat(dataRuns).hasValue(1);
        }
    }

    @Test
    void givesUpAfterTransactionAttempts(TestDatabase db) throws SQLException {
        try (EtlPool pool = pool(db)) {
            AtomicInteger runs = new AtomicInteger();
            assertThatThrownBy(() -> pool.useTransaction(c -> {
                runs.incrementAndGet();
                c.createStatement().execute("DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = 'deadlock_detected'; END $$");
            })).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("40P01"));
            assertThat(runs).hasValue(3);
        }
    }
}
