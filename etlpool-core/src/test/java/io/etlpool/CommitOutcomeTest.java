package io.etlpool;

import io.etlpool.testing.FaultProxy;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
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
        try (HeldCommit held = HeldCommit.start(db, worker, Duration.ofSeconds(5))) {
            held.proxy.cut(); // the client loses the connection while the server is in COMMIT
            held.admin.execute("SELECT pg_advisory_unlock(42)"); // the server now commits; its answer goes nowhere

            assertThat(held.tx.get(30, TimeUnit.SECONDS)).isEqualTo(42); // returned normally
            assertThat(held.runs).hasValue(1); // not run again
            assertThat(count(held.admin)).isEqualTo(1);
            assertThat(held.pool.stats().commitsFoundCommitted()).isEqualTo(1);
            assertThat(held.pool.stats().commitsFoundRolledBack()).isZero();
            assertThat(jmx(held.pool, "CommitsFoundCommitted")).isEqualTo(1L);
            assertThat(jmx(held.pool, "CommitsFoundRolledBack")).isEqualTo(0L);
        }
    }

    @Test
    void aCommitLostBeforeTheServerCommittedRunsTheWorkAgain(TestDatabase db) throws Exception {
        try (HeldCommit held = HeldCommit.start(db, worker, Duration.ofSeconds(5))) {
            held.proxy.cut();
            held.admin.execute("SELECT pg_terminate_backend(" + held.pid + ")"); // the server aborts the held COMMIT
            held.admin.execute("SELECT pg_advisory_unlock(42)"); // the second run commits at once

            assertThat(held.tx.get(30, TimeUnit.SECONDS)).isEqualTo(42);
            assertThat(held.runs).hasValue(2);
            assertThat(count(held.admin)).isEqualTo(1); // one row: the first run's never committed
            assertThat(held.pool.stats().commitsFoundRolledBack()).isEqualTo(1);
            assertThat(held.pool.stats().commitsFoundCommitted()).isZero();
            assertThat(jmx(held.pool, "CommitsFoundRolledBack")).isEqualTo(1L);
            assertThat(jmx(held.pool, "CommitsFoundCommitted")).isEqualTo(0L);
        }
    }

    @Test
    void anOutcomeThatCannotBeFoundOutThrowsWithTheTransactionId(TestDatabase db) throws Exception {
        try (HeldCommit held = HeldCommit.start(db, worker, Duration.ofSeconds(1))) {
            held.proxy.refuseNew(); // the status check cannot reach the server
            held.proxy.cut();

            assertThatThrownBy(() -> held.tx.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(CommitOutcomeUnknownException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("08007");
                        assertThat(e.transactionId()).isEqualTo(held.xid);
                        assertThat(e.getMessage()).contains("transaction " + held.xid,
                                "pg_xact_status('" + held.xid + "'::xid8)", "it was not run again");
                        assertThat(e.getMessage()).doesNotContain(db.password());
                    });
            assertThat(held.runs).hasValue(1);
            assertThat(held.pool.stats().commitsUnresolved()).isEqualTo(1);
            assertThat(jmx(held.pool, "CommitsUnresolved")).isEqualTo(1L);

            held.admin.execute("SELECT pg_advisory_unlock(42)"); // it does commit: running it again would have doubled it
            eventually(Duration.ofSeconds(10), "the held transaction commits", () -> countQuietly(held.admin) == 1);
            held.proxy.heal();
        }
    }

    /**
     * A pool behind a FaultProxy whose transaction (one INSERT, run in the background) is in COMMIT at the
     * server, held there by a deferred trigger waiting for advisory lock 42, which the test holds.
     */
    private static final class HeldCommit implements AutoCloseable {
        final FaultProxy proxy;
        final EtlPool pool;
        final Connection adminConnection;
        final Statement admin;
        final AtomicInteger runs = new AtomicInteger();
        Future<Integer> tx;
        int pid;
        String xid;

        private HeldCommit(TestDatabase db, Duration connectionTimeout) throws SQLException {
            proxy = FaultProxy.start("127.0.0.1", db.server().port());
            pool = builder(db).jdbcUrl(db.jdbcUrlVia(proxy)).maxSize(2).connectionTimeout(connectionTimeout)
                    .retryBackoff(Duration.ofMillis(10)).build();
            adminConnection = db.connect();
            admin = adminConnection.createStatement();
        }

        static HeldCommit start(TestDatabase db, ExecutorService worker, Duration connectionTimeout) throws SQLException {
            HeldCommit h = new HeldCommit(db, connectionTimeout);
            h.pool.execute("CREATE TABLE acct(id int PRIMARY KEY, balance int)");
            h.pool.execute("CREATE FUNCTION hold_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "PERFORM pg_advisory_xact_lock(42); RETURN NULL; END $$");
            h.pool.execute("CREATE CONSTRAINT TRIGGER acct_hold_commit AFTER INSERT ON acct DEFERRABLE "
                    + "INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hold_commit()");
            h.admin.execute("SELECT pg_advisory_lock(42)");
            h.tx = worker.submit(() -> h.pool.inTransaction(c -> {
                h.runs.incrementAndGet();
                c.createStatement().execute("INSERT INTO acct VALUES (1, 100)");
                return 42;
            }));
            eventually(Duration.ofSeconds(20), "a COMMIT waits for the advisory lock", h::commitIsHeld);
            return h;
        }

        private boolean commitIsHeld() {
            try (ResultSet rs = admin.executeQuery("SELECT pid, backend_xid::text FROM pg_stat_activity "
                    + "WHERE datname = current_database() AND query = 'COMMIT' AND wait_event = 'advisory'")) {
                if (!rs.next()) {
                    return false;
                }
                pid = rs.getInt(1);
                xid = rs.getString(2);
                return true;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws SQLException {
            try {
                pool.close();
                proxy.close();
            } finally {
                adminConnection.close();
            }
        }
    }

    /** An attribute of the pool's MBean, as JMX tools read it. */
    private static Object jmx(EtlPool pool, String attribute) throws Exception {
        return ManagementFactory.getPlatformMBeanServer().getAttribute(
                new ObjectName("io.etlpool:type=Pool,name=" + pool.name()), attribute);
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
