package io.etlpool.testing;

import io.etlpool.testing.internal.PoolWatcher;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

@PostgresTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresExtensionTest {

    private static String firstDatabase;

    @Test
    @Order(1)
    void eachTestGetsAFreshEmptyDatabase(TestDatabase db) throws SQLException {
        firstDatabase = db.name();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE scratch(id int)");
        }
        assertThat(db.jdbcUrl()).endsWith("/" + db.name());
    }

    @Test
    @Order(2)
    void theNextTestHasAnotherDatabaseWithoutTheFirstOnesTables(TestDatabase db) throws SQLException {
        assertThat(db.name()).isNotEqualTo(firstDatabase);
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'scratch'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void aTestThatLeavesASessionOpenFails() throws Exception {
        // Garbage collections run all along, as they may in a real build: PgJDBC closes a connection that
        // became unreachable when the collector finds it, so a leak check that a collection can undo is flaky.
        Events tests;
        try (GcPressure ignored = new GcPressure()) {
            tests = run(LeavesSessionOpen.class);
        }
        tests.assertStatistics(s -> s.failed(1));
        tests.assertThatEvents().haveExactly(1,
                finishedWithFailure(message(m -> m.contains("session(s) still open on database"))));
    }

    @Test
    void aTestThatLeavesAPoolOpenFails() throws Exception {
        Events tests = run(LeavesPoolOpen.class);
        ManagementFactory.getPlatformMBeanServer().unregisterMBean(new ObjectName("io.etlpool:type=Pool,name=leaky"));
        tests.assertStatistics(s -> s.failed(1));
        tests.assertThatEvents().haveExactly(1,
                finishedWithFailure(message(m -> m.contains("pool 'leaky' was not closed"))));
    }

    @Test
    void aTestThatClosesAPoolWithBorrowedConnectionsFails() {
        Events tests = run(ClosesPoolWithBorrowedConnections.class);
        tests.assertStatistics(s -> s.failed(1));
        tests.assertThatEvents().haveExactly(1,
                finishedWithFailure(message(m -> m.contains("still borrowed"))));
    }

    /** Runs full collections on a thread of its own until closed. */
    private static final class GcPressure implements AutoCloseable {
        private final Thread thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                System.gc();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "gc-pressure");

        GcPressure() {
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join();
        }
    }

    private static Events run(Class<?> sample) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute().testEvents();
    }

    // Sample classes run through the test kit only (Surefire skips nested classes).

    @PostgresTest
    static class LeavesSessionOpen {
        // Held by the test instance, which JUnit keeps until the after-each callbacks (the leak check)
        // are done: an unreachable PgJDBC connection is closed by the driver's cleaner at the next
        // garbage collection, and the leak would then be gone before the check looks.
        private Connection leaked;

        @Test
        void leaks(TestDatabase db) throws SQLException {
            leaked = db.server().connect(db.name()); // not through db.connect(), so nobody closes it
        }
    }

    @PostgresTest
    static class LeavesPoolOpen {
        @Test
        void leaks() throws Exception {
            FakePool.register("leaky");
        }
    }

    @PostgresTest
    static class ClosesPoolWithBorrowedConnections {
        @Test
        void leaks() throws Exception {
            FakePool pool = FakePool.register("forced");
            pool.closeForcing(2);
        }
    }

    /** A stand-in for the pool's JMX contract (see PoolWatcher): no database behaviour is imitated. */
    public interface FakePoolMBean {
        String getPoolName();

        int getActiveConnections();

        int getTotalConnections();
    }

    public static final class FakePool extends NotificationBroadcasterSupport implements FakePoolMBean {
        private final String name;
        private final ObjectName objectName;

        private FakePool(String name) throws Exception {
            super(new MBeanNotificationInfo[0]);
            this.name = name;
            this.objectName = new ObjectName("io.etlpool:type=Pool,name=" + name);
        }

        static FakePool register(String name) throws Exception {
            FakePool pool = new FakePool(name);
            ManagementFactory.getPlatformMBeanServer().registerMBean(pool, pool.objectName);
            return pool;
        }

        void closeForcing(int borrowed) throws Exception {
            Notification n = new Notification(PoolWatcher.FORCED_CLOSE, objectName, 1, "forced close");
            n.setUserData(borrowed);
            sendNotification(n);
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(objectName);
        }

        @Override
        public String getPoolName() {
            return name;
        }

        @Override
        public int getActiveConnections() {
            return 1;
        }

        @Override
        public int getTotalConnections() {
            return 1;
        }
    }
}
