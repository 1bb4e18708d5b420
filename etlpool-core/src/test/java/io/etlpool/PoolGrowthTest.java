package io.etlpool;

import io.etlpool.testing.FaultProxy;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.etlpool.TestPools.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** Which connections the pool opens for waiting borrowers, and which it does not. */
@PostgresTest
class PoolGrowthTest {

    private static EtlPoolBuilder throughProxy(TestDatabase db, FaultProxy proxy) {
        return EtlPool.builder().jdbcUrl(db.jdbcUrlVia(proxy)).username(db.user()).password(db.password())
                .validateAfterIdle(Duration.ofMinutes(1)).connectionTimeout(Duration.ofSeconds(20))
                .closeGracePeriod(Duration.ofSeconds(1));
    }

    @Test
    void aConnectionAskedForByBorrowersServedMeanwhileIsNotOpened(TestDatabase db) throws Exception {
        ExecutorService borrowers = Executors.newFixedThreadPool(2);
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port());
             EtlPool pool = throughProxy(db, proxy).minSize(1).maxSize(3).build()) {
            Connection held = pool.getConnection();
            proxy.latency(Duration.ofMillis(100)); // a login is several round trips: about a second now
            List<Future<?>> served = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                served.add(borrowers.submit(() -> {
                    pool.getConnection().close();
                    return null;
                }));
            }
            eventually(Duration.ofSeconds(5), "2 borrowers waiting", () -> pool.stats().waiting() == 2);
            held.close(); // serves both, one after the other, long before the first new connection is ready
            for (Future<?> f : served) {
                f.get(10, TimeUnit.SECONDS);
            }
            eventually(Duration.ofSeconds(20), "no connect under way",
                    () -> pool.stats().pending() == 0 && pool.stats().total() >= 2);
            // the first request's connect had begun and joins the pool; the second was dropped unopened
            assertThat(pool.stats().total()).isEqualTo(2);
            assertThat(pool.stats().connectionsCreated()).isEqualTo(2);
        } finally {
            borrowers.shutdownNow();
        }
    }

    @Test
    void aPoolAtMinSizeZeroWaitsForADatabaseThatAnswersWithinInitializationFailTimeout(TestDatabase db)
            throws Exception {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port())) {
            proxy.refuseNew();
            Thread healer = new Thread(() -> {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                proxy.heal();
            });
            healer.start();
            // no borrower waits and minSize is 0, yet the first connection is wanted while the pool starts:
            // build() succeeds once the database answers instead of failing at the 30 s deadline
            try (EtlPool pool = throughProxy(db, proxy).minSize(0).maxSize(2)
                    .initializationFailTimeout(Duration.ofSeconds(30)).build()) {
                assertThat(pool.stats().connectionsCreated()).isEqualTo(1);
                assertThat(pool.stats().connectFailures()).isPositive();
                try (Connection c = pool.getConnection()) {
                    assertThat(c.isValid(5)).isTrue();
                }
            }
            healer.join();
        }
    }
}
