package io.etlpool;

import io.etlpool.testing.stub.Gate;
import io.etlpool.testing.stub.StubDatabase;
import io.etlpool.testing.stub.StubDatabase.Call;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** close() as one sequence: it completes, waits only for connections a borrower holds, and handles interrupts once. */
class CloseSequenceTest {

    @Test
    void closeDuringAKeepaliveCheckReportsNoForcedClose() throws Exception {
        StubDatabase db = new StubDatabase();
        EtlPool pool = TestPools.stub(db).name("close-during-keepalive").registerMBean(true).minSize(1).maxSize(1)
                .keepaliveInterval(Duration.ofMillis(100)).validateAfterIdle(Duration.ofMinutes(1))
                .validationTimeout(Duration.ofSeconds(3)).closeGracePeriod(Duration.ofMillis(300)).build();
        AtomicInteger forced = new AtomicInteger();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("io.etlpool:type=Pool,name=close-during-keepalive");
        NotificationListener count = (n, handback) -> forced.incrementAndGet();
        server.addNotificationListener(name, count, null, null);
        Gate check = db.block(Call.IS_VALID);
        assertThat(check.awaitEntered(Duration.ofSeconds(5))).as("keepalive check started").isTrue();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(pool::close);
        Thread.sleep(800); // past closeGracePeriod: a check taken for a borrower would be force-closed now
        check.open();
        closing.get(10, TimeUnit.SECONDS);
        assertThat(forced.get()).as("forced-close notifications").isZero();
        assertThat(db.openConnections()).isEmpty();
    }

    @Test
    void closeFromAnInterruptedThreadDoesNotSpinAndKeepsTheFlag() throws Exception {
        StubDatabase db = new StubDatabase();
        EtlPool pool = TestPools.stub(db).maxSize(1).closeGracePeriod(Duration.ofSeconds(2)).build();
        Connection held = pool.getConnection(); // never given back: close() waits the whole grace period
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AtomicLong cpuNanos = new AtomicLong();
        AtomicBoolean flagAfter = new AtomicBoolean();
        Thread closer = new Thread(() -> {
            Thread.currentThread().interrupt();
            long before = threads.getCurrentThreadCpuTime();
            pool.close();
            cpuNanos.set(threads.getCurrentThreadCpuTime() - before);
            flagAfter.set(Thread.currentThread().isInterrupted());
        });
        closer.start();
        closer.join(15_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(flagAfter.get()).as("interrupt flag restored").isTrue();
        // a spinning close burns most of the 2 s grace period; a waiting one a few milliseconds
        assertThat(TimeUnit.NANOSECONDS.toMillis(cpuNanos.get())).as("CPU ms used by close()").isLessThan(300);
        assertThat(held.isClosed()).isTrue();
        assertThat(db.openConnections()).isEmpty();
    }

    @Test
    void buildFromAnInterruptedThreadFailsAtOnceAndKeepsTheFlag() {
        StubDatabase db = new StubDatabase();
        db.fail(Call.CONNECT, new SQLException("stub: connection refused", "08001"));
        AtomicBoolean flagAfter = new AtomicBoolean();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> TestPools.stub(db).initializationFailTimeout(Duration.ofSeconds(3)).build())
                    .isInstanceOf(PoolInitializationException.class).hasMessageContaining("interrupted");
        } finally {
            flagAfter.set(Thread.interrupted());
        }
        assertThat(flagAfter.get()).as("interrupt flag kept").isTrue();
    }

    @Test
    void aSecondCloseReturnsOnlyOnceTheFirstHasCompleted() throws Exception {
        StubDatabase db = new StubDatabase();
        EtlPool pool = TestPools.stub(db).maxSize(1).closeGracePeriod(Duration.ofMillis(700)).build();
        Connection held = pool.getConnection();
        CompletableFuture<Void> first = CompletableFuture.runAsync(pool::close);
        TestPools.eventually(Duration.ofSeconds(5), "the first close() started", pool::isClosed);
        pool.close();
        assertThat(db.openConnections()).as("still open when the second close() returned").isEmpty();
        assertThat(held.isClosed()).isTrue();
        first.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aConnectionGivenBackWhileClosingIsClosedAtOnce() throws Exception {
        StubDatabase db = new StubDatabase();
        EtlPool pool = TestPools.stub(db).maxSize(2).minSize(2).closeGracePeriod(Duration.ofSeconds(30)).build();
        Connection held = pool.getConnection();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(pool::close);
        TestPools.eventually(Duration.ofSeconds(5), "the idle connection closed", () -> db.openConnections().size() == 1);
        held.close();
        closing.get(10, TimeUnit.SECONDS); // well within the 30 s grace period
        assertThat(db.openConnections()).isEmpty();
    }
}
