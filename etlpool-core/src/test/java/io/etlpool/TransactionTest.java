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
    void aSessionKilledJustBeforeCommitRunsTheWorkAgain(TestDatabase db) throws SQLException {
        try (EtlPool pool = pool(db)) {
            AtomicInteger runs = new AtomicInteger();
            pool.useTransaction(c -> {
                c.createStatement().execute("INSERT INTO acct VALUES (1, 100)");
                if (runs.incrementAndGet() == 1) {
                    terminateAndWait(db, backendPid(c)); // the work's last step: COMMIT comes next
                }
            });
            assertThat(runs).hasValue(2);
            assertThat(count(pool)).isEqualTo(1);
        }
    }

    @Test
    void aSessionKilledDuringCommitIsFoundRolledBackAndTheWorkRunsAgain(TestDatabase db) throws SQLException {
        try (EtlPool pool = pool(db)) {
            atCommitOfTheFirstTransaction(pool, "PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(10);");
            AtomicInteger runs = new AtomicInteger();
            pool.useTransaction(c -> {
                runs.incrementAndGet();
                c.createStatement().execute("INSERT INTO acct VALUES (1, 100)");
            });
            assertThat(runs).hasValue(2); // COMMIT got FATAL 57P01; the server said: aborted
            assertThat(count(pool)).isEqualTo(1);
            assertThat(pool.stats().commitsFoundRolledBack()).isEqualTo(1);
            assertThat(pool.stats().commitsFoundCommitted()).isZero();
            assertThat(pool.stats().commitsUnresolved()).isZero();
        }
    }

    @Test
    void withResolutionOffALostCommitThrowsCommitOutcomeUnknown(TestDatabase db) throws SQLException {
        try (EtlPool pool = builder(db).maxSize(3).retryBackoff(Duration.ofMillis(10)).resolveCommitOutcome(false)
                .build()) {
            pool.execute("CREATE TABLE acct(id int PRIMARY KEY, balance int)");
            atCommitOfTheFirstTransaction(pool, "PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(10);");
            AtomicInteger runs = new AtomicInteger();
            assertThatThrownBy(() -> pool.useTransaction(c -> {
                runs.incrementAndGet();
                c.createStatement().execute("INSERT INTO acct VALUES (1, 100)");
            })).isInstanceOfSatisfying(CommitOutcomeUnknownException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("08007");
                assertThat(e.transactionId()).isNull();
                assertThat(e.getMessage()).contains("resolveCommitOutcome is off");
                assertThat(SqlErrors.sqlState((SQLException) e.getCause())).isEqualTo("57P01");
            });
            assertThat(runs).hasValue(1);
            assertThat(pool.stats().commitsUnresolved()).isEqualTo(1);
        }
    }

    @Test
    void anErrorTheServerAnswersToCommitWithIsNoUnknownOutcome(TestDatabase db) throws SQLException {
        try (EtlPool pool = pool(db)) {
            atCommitOfTheFirstTransaction(pool,
                    "RAISE EXCEPTION 'conflict at commit' USING ERRCODE = 'serialization_failure';");
            AtomicInteger runs = new AtomicInteger();
            pool.useTransaction(c -> {
                runs.incrementAndGet();
                c.createStatement().execute("INSERT INTO acct VALUES (1, 100)");
            });
            assertThat(runs).hasValue(2); // rolled back for sure: run again like any serialization failure
            assertThat(count(pool)).isEqualTo(1);
            assertThat(pool.stats().commitsFoundRolledBack()).isZero(); // nothing needed asking
        }
    }

    /** A deferred trigger on acct that runs the PL/pgSQL statements at the COMMIT of the first transaction only. */
    private static void atCommitOfTheFirstTransaction(EtlPool pool, String plpgsql) throws SQLException {
        pool.execute("CREATE SEQUENCE commits_seen");
        pool.execute("CREATE FUNCTION at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF nextval('commits_seen') = 1 THEN " + plpgsql + " END IF; RETURN NULL; END $$");
        pool.execute("CREATE CONSTRAINT TRIGGER acct_at_commit AFTER INSERT ON acct DEFERRABLE INITIALLY DEFERRED "
                + "FOR EACH ROW EXECUTE FUNCTION at_commit()");
    }

    private static void terminateAndWait(TestDatabase db, int pid) throws SQLException {
        try (var admin = db.connect(); var s = admin.createStatement()) {
            s.execute("SELECT pg_terminate_backend(" + pid + ")");
            TestPools.eventually(Duration.ofSeconds(10), "session " + pid + " ends", () -> {
                try (var rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid)) {
                    rs.next();
                    return rs.getInt(1) == 0;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
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
