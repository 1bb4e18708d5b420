package io.etlpool;

import io.etlpool.testing.FaultProxy;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.etlpool.TestPools.builder;
import static io.etlpool.TestPools.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A COMMIT whose answer is lost, on a real server. The COMMIT is held at the server by a deferred
 * trigger that waits for an advisory lock the test holds; the test then cuts the connection (a
 * FaultProxy between pool and server) and decides what the server does next. No timing is guessed.
 */
@PostgresTest
class CommitOutcomeTest {

    private final ExecutorService worker = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopWorker() {
        worker.shutdownNow();
    }

    @Test
    void aCommitWhoseAnswerIsLostButThatCommittedReturnsAndTheWorkIsNotRunAgain(TestDatabase db) throws Exception {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port());
             EtlPool pool = pool(db, proxy, Duration.ofSeconds(5));
             Connection admin = db.connect(); Statement s = admin.createStatement()) {
            holdCommits(pool, s);
            AtomicInteger runs = new AtomicInteger();
            Future<Integer> tx = insertInTransaction(pool, runs);
            awaitCommitHeld(s);
            proxy.cut(); // the client loses the connection while the server is in COMMIT
            s.execute("SELECT pg_advisory_unlock(42)"); // the server now commits; its answer goes nowhere

            assertThat(tx.get(30, TimeUnit.SECONDS)).isEqualTo(42); // returned normally
            assertThat(runs).hasValue(1); // not run again
            assertThat(count(s)).isEqualTo(1);
            assertThat(pool.stats().commitsFoundCommitted()).isEqualTo(1);
            assertThat(pool.stats().commitsFoundRolledBack()).isZero();
        }
    }

    @Test
    void aCommitLostBeforeTheServerCommittedRunsTheWorkAgain(TestDatabase db) throws Exception {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port());
             EtlPool pool = pool(db, proxy, Duration.ofSeconds(5));
             Connection admin = db.connect(); Statement s = admin.createStatement()) {
            holdCommits(pool, s);
            AtomicInteger runs = new AtomicInteger();
            Future<Integer> tx = insertInTransaction(pool, runs);
            int pid = awaitCommitHeld(s).pid;
            proxy.cut();
            s.execute("SELECT pg_terminate_backend(" + pid + ")"); // the server aborts the held COMMIT
            s.execute("SELECT pg_advisory_unlock(42)"); // the second run commits at once

            assertThat(tx.get(30, TimeUnit.SECONDS)).isEqualTo(42);
            assertThat(runs).hasValue(2);
            assertThat(count(s)).isEqualTo(1); // one row: the first run's never committed
            assertThat(pool.stats().commitsFoundRolledBack()).isEqualTo(1);
            assertThat(pool.stats().commitsFoundCommitted()).isZero();
        }
    }

    @Test
    void anOutcomeThatCannotBeFoundOutThrowsWithTheTransactionId(TestDatabase db) throws Exception {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port());
             EtlPool pool = pool(db, proxy, Duration.ofSeconds(1));
             Connection admin = db.connect(); Statement s = admin.createStatement()) {
            holdCommits(pool, s);
            AtomicInteger runs = new AtomicInteger();
            Future<Integer> tx = insertInTransaction(pool, runs);
            String xid = awaitCommitHeld(s).xid;
            proxy.refuseNew(); // the status check cannot reach the server
            proxy.cut();

            assertThatThrownBy(() -> tx.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(CommitOutcomeUnknownException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("08007");
                        assertThat(e.transactionId()).isEqualTo(xid);
                        assertThat(e.getMessage()).contains("transaction " + xid, "pg_xact_status('" + xid + "'::xid8)",
                                "it was not run again");
                        assertThat(e.getMessage()).doesNotContain(db.password());
                    });
            assertThat(runs).hasValue(1);
            assertThat(pool.stats().commitsUnresolved()).isEqualTo(1);

            s.execute("SELECT pg_advisory_unlock(42)"); // it does commit: running it again would have doubled it
            eventually(Duration.ofSeconds(10), "the held transaction commits", () -> countQuietly(s) == 1);
            proxy.heal();
        }
    }

    private static EtlPool pool(TestDatabase db, FaultProxy proxy, Duration connectionTimeout) throws SQLException {
        return builder(db).jdbcUrl(db.jdbcUrlVia(proxy)).maxSize(2).connectionTimeout(connectionTimeout)
                .retryBackoff(Duration.ofMillis(10)).build();
    }

    /** Every COMMIT of a transaction that inserted into acct waits for advisory lock 42, which the test takes. */
    private static void holdCommits(EtlPool pool, Statement admin) throws SQLException {
        pool.execute("CREATE TABLE acct(id int PRIMARY KEY, balance int)");
        pool.execute("CREATE FUNCTION hold_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "PERFORM pg_advisory_xact_lock(42); RETURN NULL; END $$");
        pool.execute("CREATE CONSTRAINT TRIGGER acct_hold_commit AFTER INSERT ON acct DEFERRABLE INITIALLY DEFERRED "
                + "FOR EACH ROW EXECUTE FUNCTION hold_commit()");
        admin.execute("SELECT pg_advisory_lock(42)");
    }

    private Future<Integer> insertInTransaction(EtlPool pool, AtomicInteger runs) {
        return worker.submit(() -> pool.inTransaction(c -> {
            runs.incrementAndGet();
            c.createStatement().execute("INSERT INTO acct VALUES (1, 100)");
            return 42;
        }));
    }

    private static final class HeldCommit {
        final int pid;
        final String xid;

        HeldCommit(int pid, String xid) {
            this.pid = pid;
            this.xid = xid;
        }
    }

    /** Waits until a session is in COMMIT, waiting for the advisory lock. */
    private static HeldCommit awaitCommitHeld(Statement admin) {
        AtomicReference<HeldCommit> held = new AtomicReference<>();
        eventually(Duration.ofSeconds(20), "a COMMIT waits for the advisory lock", () -> {
            try (ResultSet rs = admin.executeQuery("SELECT pid, backend_xid::text FROM pg_stat_activity "
                    + "WHERE datname = current_database() AND query = 'COMMIT' AND wait_event = 'advisory'")) {
                if (rs.next()) {
                    held.set(new HeldCommit(rs.getInt(1), rs.getString(2)));
                }
                return held.get() != null;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        return held.get();
    }

    private static long count(Statement admin) throws SQLException {
        try (ResultSet rs = admin.executeQuery("SELECT count(*) FROM acct")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long countQuietly(Statement admin) {
        try {
            return count(admin);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
