package io.etlpool.internal;

import io.etlpool.EtlPool;
import io.etlpool.PoolConfigs;
import io.etlpool.PoolTimeoutException;
import io.etlpool.testing.stub.StubDatabase;
import io.etlpool.testing.stub.StubDatabase.Call;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Growth is level-triggered: a borrower that arrives while the opener drops a request (nobody waited any
 * more) finds every slot taken and asks for nothing, but the dropping thread looks again once it has
 * released the slot. The seam on the opener holds that thread exactly in between.
 */
class GrowthWakeUpTest {

    @Test
    void aBorrowerArrivingWhileADroppedRequestReleasesItsSlotGetsAConnection() throws Exception {
        StubDatabase db = new StubDatabase();
        Pool pool = new Pool(PoolConfigs.of(EtlPool.builder().dataSource(db.dataSource())
                .minSize(0).maxSize(1)
                .connectionTimeout(Duration.ofSeconds(2))
                .closeGracePeriod(Duration.ofSeconds(1))
                .registerMBean(false)), null);
        try {
            ProxyConnection first = pool.borrow(TimeUnit.SECONDS.toNanos(5));
            pool.evict(first);
            first.close(); // the pool is empty now, its one slot free
            assertThat(pool.total()).isZero();

            CompletableFuture<Object> late = new CompletableFuture<>();
            AtomicBoolean once = new AtomicBoolean();
            pool.opener().beforeDroppedSlotRelease(() -> {
                if (!once.compareAndSet(false, true)) {
                    return;
                }
                db.heal(Call.CONNECT);
                Thread borrower = new Thread(() -> {
                    try (ProxyConnection c = pool.borrow(TimeUnit.SECONDS.toNanos(2))) {
                        late.complete("served");
                    } catch (SQLException | RuntimeException e) {
                        late.complete(e);
                    }
                }, "late-borrower");
                borrower.start();
                awaitParked(borrower); // it found the slot taken by the request being dropped, and queued
            });

            // The first borrower gives up while every connect fails: the opener drops its request.
            db.fail(Call.CONNECT, new SQLException("connection refused", "08001"));
            assertThatThrownBy(() -> pool.borrow(TimeUnit.MILLISECONDS.toNanos(100)))
                    .isInstanceOf(PoolTimeoutException.class);

            Object outcome = late.get(10, TimeUnit.SECONDS);
            assertThat(once).as("the opener dropped the request").isTrue();
            assertThat(outcome).as("the borrower that came while the slot was being released").isEqualTo("served");
        } finally {
            pool.close();
        }
    }

    @Test
    void aTimeoutWithNothingBeingOpenedDoesNotBlameASlowConnect() throws Exception {
        StubDatabase db = new StubDatabase();
        Pool pool = new Pool(PoolConfigs.of(EtlPool.builder().dataSource(db.dataSource())
                .minSize(0).maxSize(1)
                .connectionTimeout(Duration.ZERO)
                .validateAfterIdle(Duration.ZERO)
                .closeGracePeriod(Duration.ofSeconds(1))
                .registerMBean(false)), null);
        try {
            db.invalid(); // the idle connection fails its check; at the deadline nothing replaces it
            assertThatThrownBy(() -> pool.borrow(0))
                    .isInstanceOfSatisfying(PoolTimeoutException.class, e -> {
                        assertThat(e.reason()).isEqualTo(PoolTimeoutException.Reason.NONE_VALID);
                        assertThat(e.getMessage())
                                .contains("none was being opened", "1 connection(s) failed validation")
                                .doesNotContain("takes longer");
                    });
        } finally {
            pool.close();
        }
    }

    /** Until the thread parks (queued for a connection) or ends; fails after a generous deadline. */
    private static void awaitParked(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.TIMED_WAITING && t.isAlive()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the late borrower did not queue within 10 s: " + t.getState());
            }
            Thread.onSpinWait();
        }
    }
}
