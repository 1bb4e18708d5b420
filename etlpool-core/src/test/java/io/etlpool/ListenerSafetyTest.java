package io.etlpool;

import io.etlpool.testing.stub.StubDatabase;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** What a PoolListener throws never reaches the pool or the borrower; several listeners, added at runtime. */
class ListenerSafetyTest {

    /** Throws from every callback. */
    static final class ThrowingListener implements PoolListener {
        final AtomicInteger calls = new AtomicInteger();

        private void fail() {
            calls.incrementAndGet();
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void connectionOpened(Duration took) {
            fail();
        }

        @Override
        public void connectionBorrowed(Duration waited) {
            fail();
        }

        @Override
        public void connectionReturned(Duration used) {
            fail();
        }

        @Override
        public void connectionClosed(CloseReason reason) {
            fail();
        }
    }

    @Test
    void aListenerThatThrowsOnBorrowAndReturnLosesNoSlot() throws Exception {
        StubDatabase db = new StubDatabase();
        ThrowingListener listener = new ThrowingListener();
        try (EtlPool pool = TestPools.stub(db).maxSize(1).connectionTimeout(Duration.ofMillis(500))
                .listener(listener).build()) {
            for (int i = 0; i < 3; i++) { // with a lost slot the second borrow of a 1-connection pool times out
                try (Connection c = pool.getConnection()) {
                    c.createStatement().execute("SELECT 1");
                }
            }
            assertThat(listener.calls.get()).isGreaterThanOrEqualTo(6);
            assertThat(pool.stats().active()).isZero();
            assertThat(pool.stats().idle()).isEqualTo(1);
        }
    }

    @Test
    void aFailingListenerIsReportedOnceAsAWarning() throws Exception {
        PrintStream original = System.err; // slf4j-simple writes to System.err as it is at each call
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        ThrowingListener listener = new ThrowingListener();
        try (EtlPool pool = TestPools.stub(new StubDatabase()).maxSize(1).listener(listener).build()) {
            for (int i = 0; i < 3; i++) {
                pool.getConnection().close();
            }
        } finally {
            System.setErr(original);
        }
        String log = captured.toString();
        assertThat(listener.calls.get()).isGreaterThanOrEqualTo(7);
        assertThat(log.split(java.util.regex.Pattern.quote(ThrowingListener.class.getName() + " threw in"), -1)).as(log).hasSize(2);
        assertThat(log).contains("WARN").contains("java.lang.IllegalStateException: listener bug");
    }

    @Test
    void aListenerThatThrowsOnCloseDoesNotStopClosing() throws Exception {
        StubDatabase db = new StubDatabase();
        EtlPool pool = TestPools.stub(db).name("throwing-on-close").minSize(3).maxSize(3).registerMBean(true)
                .listener(new ThrowingListener()).build();
        TestPools.eventually(Duration.ofSeconds(5), "3 connections", () -> pool.stats().total() == 3);
        pool.close();
        assertThat(db.openConnections()).as("connections left open by close()").isEmpty();
        assertThat(ManagementFactory.getPlatformMBeanServer()
                .isRegistered(new ObjectName("io.etlpool:type=Pool,name=throwing-on-close")))
                .as("MBean still registered").isFalse();
        assertThat(pool.isClosed()).isTrue();
    }

    @Test
    void everyListenerGetsEveryEventEvenAfterOneThrows() throws Exception {
        StubDatabase db = new StubDatabase();
        List<String> first = Collections.synchronizedList(new ArrayList<>());
        List<String> added = Collections.synchronizedList(new ArrayList<>());
        PoolListener recordFirst = new PoolListener() {
            @Override
            public void connectionBorrowed(Duration waited) {
                first.add("borrowed");
            }
        };
        PoolListener recordAdded = new PoolListener() {
            @Override
            public void connectionBorrowed(Duration waited) {
                added.add("borrowed");
            }

            @Override
            public void connectionReturned(Duration used) {
                added.add("returned");
            }
        };
        try (EtlPool pool = TestPools.stub(db).maxSize(1).listener(new ThrowingListener()).listener(recordFirst).build()) {
            pool.getConnection().close();
            pool.addListener(recordAdded);
            pool.getConnection().close();
            assertThat(pool.removeListener(recordAdded)).isTrue();
            assertThat(pool.removeListener(recordAdded)).isFalse();
            pool.getConnection().close();
        }
        assertThat(first).containsExactly("borrowed", "borrowed", "borrowed");
        assertThat(added).containsExactly("borrowed", "returned");
    }

    @Test
    void aReturnEventComesAfterTheConnectionIsBackInThePool() throws Exception {
        StubDatabase db = new StubDatabase();
        List<Integer> idleSeen = new ArrayList<>();
        EtlPool[] holder = new EtlPool[1];
        PoolListener listener = new PoolListener() {
            @Override
            public void connectionReturned(Duration used) {
                idleSeen.add(holder[0].stats().idle());
            }
        };
        try (EtlPool pool = TestPools.stub(db).maxSize(1).listener(listener).build()) {
            holder[0] = pool;
            pool.getConnection().close();
        }
        assertThat(idleSeen).containsExactly(1);
    }
}
