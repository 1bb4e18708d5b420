package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.etlpool.etl.EtlFixtures.checksum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One run of a job at a time: a second run refuses at once, naming the holder, or queues with waitForLease. */
@PostgresTest
class RunLeaseTest {

    private static final int ROWS = 4_000;

    /** A run that stops at its first row until released, in a thread of its own. */
    private static final class HeldRun {
        final CountDownLatch inside = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CompletableFuture<JobResult> result;

        HeldRun(EtlJob.Builder job) {
            AtomicBoolean first = new AtomicBoolean(true);
            EtlJob held = job.transform(r -> {
                if (first.compareAndSet(true, false)) {
                    inside.countDown();
                    try {
                        release.await(120, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return List.of(r);
            }).build();
            result = CompletableFuture.supplyAsync(() -> {
                try {
                    return held.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        void awaitInside() throws InterruptedException {
            assertThat(inside.await(60, TimeUnit.SECONDS)).as("the first run reached its first row").isTrue();
        }
    }

    private static HeldRun firstRunHeldAtItsFirstRow(Connection c, EtlPool pool) throws Exception {
        EtlFixtures.createSource(c, "src", ROWS);
        EtlFixtures.createTarget(c, "dst");
        HeldRun first = new HeldRun(job(pool));
        first.awaitInside();
        return first;
    }

    private static EtlJob.Builder job(EtlPool pool) {
        return EtlJob.builder("nightly").source(pool, "SELECT * FROM src").partitionColumn("id").partitions(2)
                .parallelism(2).chunkSize(1_000).target(pool, "dst").mode(LoadMode.TRUNCATE_INSERT);
    }

    @Test
    void aSecondRunRefusesAtOnceSayingWhoHoldsTheJobAndSinceWhen(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 8); Connection c = db.connect()) {
            HeldRun first = firstRunHeldAtItsFirstRow(c, pool);

            assertThatThrownBy(() -> job(pool).build().run()).isInstanceOf(EtlException.class)
                    .hasMessageContaining("job 'nightly' is already running")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid()).hasMessageContaining(" since ")
                    .hasMessageContaining("--wait");
            assertThat(job(pool).build().status().leaseHolder()).contains("pid " + ProcessHandle.current().pid());
            assertThatThrownBy(() -> job(pool).build().reset()).hasMessageContaining("cannot be reset now");

            first.release.countDown();
            assertThat(first.result.get(120, TimeUnit.SECONDS).rowsWritten()).isEqualTo(ROWS);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
            assertThat(job(pool).build().status().leaseHolder()).isNull();
        }
    }

    @Test
    void withWaitForLeaseASecondRunQueuesBehindTheFirstAndLoadsNothingTwice(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 8); Connection c = db.connect()) {
            HeldRun first = firstRunHeldAtItsFirstRow(c, pool);
            CompletableFuture<JobResult> second = CompletableFuture.supplyAsync(() -> {
                try {
                    return job(pool).waitForLease(Duration.ofMinutes(2)).build().run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            first.release.countDown();
            JobResult one = first.result.get(120, TimeUnit.SECONDS);
            JobResult two = second.get(120, TimeUnit.SECONDS);
            assertThat(one.rowsWritten()).isEqualTo(ROWS);
            assertThat(two.alreadyComplete()).isTrue();
            assertThat(two.rowsWritten()).isZero();
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }
}
