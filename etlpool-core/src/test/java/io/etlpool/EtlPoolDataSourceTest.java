package io.etlpool;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@PostgresTest
class EtlPoolDataSourceTest {

    private static EtlPoolDataSource configured(TestDatabase db) {
        EtlPoolDataSource ds = new EtlPoolDataSource();
        ds.setUrl(db.jdbcUrl());
        ds.setUsername(db.user());
        ds.setPassword(db.password());
        ds.setConnectionTimeoutMs(5_000);
        ds.setCloseGracePeriod(Duration.ofSeconds(2));
        return ds;
    }

    @Test
    void theDataSourcePlumbingIsThePools(TestDatabase db) throws SQLException {
        try (EtlPoolDataSource ds = configured(db); EtlPool pool = TestPools.builder(db).registerMBean(false)
                .connectionTimeout(Duration.ofSeconds(5)).build()) {
            for (javax.sql.DataSource each : List.of(ds, pool)) {
                assertThat(each.getLoginTimeout()).as("connectionTimeout in seconds").isEqualTo(5);
                assertThatThrownBy(() -> each.setLoginTimeout(3)).isInstanceOf(java.sql.SQLFeatureNotSupportedException.class)
                        .hasMessageContaining("set connectionTimeout");
                assertThatThrownBy(each::getParentLogger).isInstanceOf(java.sql.SQLFeatureNotSupportedException.class)
                        .hasMessageContaining("slf4j");
                assertThat(each.getLogWriter()).isNull();
                java.io.PrintWriter writer = new java.io.PrintWriter(new java.io.StringWriter());
                each.setLogWriter(writer);
                assertThat(each.getLogWriter()).isSameAs(writer);
            }
        }
    }

    @Test
    void aJavaBeanSetUpPropertyByPropertyLendsConnections(TestDatabase db) throws SQLException {
        try (EtlPoolDataSource ds = configured(db)) {
            ds.setPoolName("bean-pool");
            ds.setDriverClassName("org.postgresql.Driver");
            ds.setMinSize(2);
            ds.setMaxSize(4);
            ds.setMaxLifetimeMs(60_000);
            ds.setSchema("public");
            ds.addDataSourceProperty("ApplicationName", "bean-test");
            assertThat(ds.isRunning()).isFalse();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_setting('application_name')")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("bean-test");
            }
            assertThat(ds.isRunning()).isTrue();
            EtlPool pool = ds.unwrap(EtlPool.class);
            assertThat(pool.name()).isEqualTo("bean-pool");
            assertThat(pool.config().maxSize()).isEqualTo(4);
            assertThat(pool.config().maxLifetime()).isEqualTo(Duration.ofMinutes(1));
            assertThat(ds.getUrl()).isEqualTo(db.jdbcUrl()).isEqualTo(ds.getJdbcUrl());
            assertThat(ds.getMaxLifetime()).isEqualTo(Duration.ofMinutes(1));
            assertThat(ds.isWrapperFor(EtlPool.class)).isTrue();
        }
    }

    @Test
    void concurrentFirstUseStartsOnePool(TestDatabase db) throws Exception {
        try (EtlPoolDataSource ds = configured(db)) {
            int threads = 8;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService executor = Executors.newFixedThreadPool(threads);
            try {
                List<Future<EtlPool>> pools = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    pools.add(executor.submit(() -> {
                        go.await();
                        try (Connection c = ds.getConnection()) {
                            assertThat(c.isValid(5)).isTrue();
                        }
                        return ds.unwrap(EtlPool.class);
                    }));
                }
                go.countDown();
                Set<EtlPool> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
                for (Future<EtlPool> f : pools) {
                    distinct.add(f.get(60, TimeUnit.SECONDS));
                }
                assertThat(distinct).hasSize(1);
            } finally {
                executor.shutdownNow();
            }
        }
    }

    @Test
    void aSettingThatCannotChangeOnARunningPoolSaysSo(TestDatabase db) throws SQLException {
        try (EtlPoolDataSource ds = configured(db)) {
            ds.stats(); // starts the pool
            assertThatThrownBy(() -> ds.setUrl("jdbc:postgresql://127.0.0.1:1/other"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("jdbcUrl cannot change")
                    .hasMessageContaining("already running");
            assertThatThrownBy(() -> ds.setIdleTimeoutMs(1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("idleTimeout cannot change");
            assertThat(ds.getJdbcUrl()).isEqualTo(db.jdbcUrl());
        }
    }

    @Test
    void minAndMaxSizeResizeARunningPool(TestDatabase db) throws SQLException {
        try (EtlPoolDataSource ds = configured(db)) {
            EtlPool pool = ds.pool();
            ds.setMaxSize(3);
            ds.setMinSize(2);
            assertThat(pool.stats().maxSize()).isEqualTo(3);
            assertThat(pool.stats().minSize()).isEqualTo(2);
            TestPools.eventually(Duration.ofSeconds(20), "minSize 2 reached", () -> pool.stats().total() >= 2);
            assertThatThrownBy(() -> ds.setMinSize(5)).isInstanceOf(IllegalArgumentException.class);
            assertThat(ds.getMinSize()).isEqualTo(2);
        }
    }

    @Test
    void closeClosesThePoolAndTheDataSourceLendsNothingAfter(TestDatabase db) throws SQLException {
        EtlPoolDataSource ds = configured(db);
        EtlPool pool = ds.pool();
        ds.close();
        assertThat(pool.isClosed()).isTrue();
        assertThat(ds.isClosed()).isTrue();
        assertThatThrownBy(ds::getConnection).isInstanceOf(PoolClosedException.class).hasMessageContaining("is closed");
        assertThatThrownBy(() -> ds.setMaxWaiting(3)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void invalidSettingsFailAtFirstUseWithTheBuildersMessage() {
        EtlPoolDataSource ds = new EtlPoolDataSource();
        ds.setUrl("jdbc:postgresql://127.0.0.1:1/x");
        ds.setMinSize(12);
        ds.setMaxSize(10);
        assertThatThrownBy(ds::getConnection).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minSize (12) must not exceed maxSize (10)");
        assertThat(ds.isRunning()).isFalse();
    }

    @Test
    void anUnknownDriverClassIsNamed() {
        EtlPoolDataSource ds = new EtlPoolDataSource();
        ds.setUrl("jdbc:postgresql://127.0.0.1:1/x");
        ds.setDriverClassName("com.example.NoSuchDriver");
        assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class)
                .hasMessageContaining("com.example.NoSuchDriver is not on the class path");
    }

    @Test
    void toStringNeverShowsThePassword(TestDatabase db) throws SQLException {
        try (EtlPoolDataSource ds = configured(db)) {
            ds.setPassword("s3cret-pw");
            ds.setUrl("jdbc:postgresql://127.0.0.1:1/x?password=s3cret-pw");
            assertThat(ds.toString()).doesNotContain("s3cret-pw").contains("not started");
            assertThat(ds.getPassword()).isEqualTo("s3cret-pw");
        }
    }
}
