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
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port())) {
            proxy.latency(Duration.ofMillis(100)); // a login is several round trips: about a second
            try (EtlPool pool = throughProxy(db, proxy).minSize(1).maxSize(3).build()) {
                Connection held = pool.getConnection();
                List<Future<?>> served = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    served.add(borrowers.submit(() -> {
                        pool.getConnection().close();
                        return null;
                    }));
                }
                eventually(Duration.ofSeconds(5), "2 borrowers waiting", () -> pool.stats().waiting() == 2);
                // serves both, one after the other, while the opener still watches whether they are served
                // (for half a connect time: about half a second here)
                held.close();
                for (Future<?> f : served) {
                    f.get(10, TimeUnit.SECONDS);
                }
                eventually(Duration.ofSeconds(20), "no connect under way", () -> pool.stats().pending() == 0);
                assertThat(pool.stats().total()).isEqualTo(1);
                assertThat(pool.stats().connectionsCreated()).isEqualTo(1);
            }
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

    @Test
    void borrowersHeldUpByLongTasksGetSeveralConnectionsOpenedSideBySide(TestDatabase db) throws Exception {
        ExecutorService borrowers = Executors.newFixedThreadPool(3);
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port());
             EtlPool pool = throughProxy(db, proxy).minSize(1).maxSize(4).build()) {
            Connection held = pool.getConnection(); // a long task: nobody else is served
            proxy.latency(Duration.ofMillis(100)); // a login now takes about a second
            List<Future<?>> served = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                served.add(borrowers.submit(() -> {
                    pool.getConnection().close();
                    return null;
                }));
            }
            // one after another, at most 2 connections would be open at the proxy while the pool has 1
            eventually(Duration.ofSeconds(10), "3 logins under way at once",
                    () -> proxy.connectionCount() == 4 && pool.stats().total() == 1);
            held.close();
            for (Future<?> f : served) {
                f.get(20, TimeUnit.SECONDS);
            }
            proxy.heal();
        } finally {
            borrowers.shutdownNow();
        }
    }
}
