package io.etlpool.micrometer;

import io.etlpool.EtlPool;
import io.etlpool.PoolTimeoutException;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pool's meters as a Prometheus server scrapes them, after known borrows, timeouts and breakages. */
@PostgresTest
class EtlPoolMetricsTest {

    private static EtlPool pool(TestDatabase db, String name) throws SQLException {
        return EtlPool.builder().name(name).jdbcUrl(db.jdbcUrl()).username(db.user()).password(db.password())
                .minSize(0).maxSize(2).connectionTimeout(Duration.ofMillis(300)).registerMBean(false).build();
    }

    @Test
    void theScrapeShowsSizesTimersAndCountersOfThePool(TestDatabase db) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (EtlPool pool = pool(db, "orders")) {
            long openedAtStart = pool.stats().connectionsCreated(); // the start's check, before binding
            EtlPoolMetrics metrics = EtlPoolMetrics.bind(pool, registry);
            Connection first = pool.getConnection();
            Connection second = pool.getConnection();
            assertThatThrownBy(pool::getConnection).isInstanceOf(PoolTimeoutException.class);

            Scrape lent = new Scrape(registry);
            assertThat(lent.text).contains("# TYPE etlpool_connections_active gauge",
                    "# TYPE etlpool_connections_timeout_total counter",
                    "# TYPE etlpool_connections_acquire_seconds summary");
            assertThat(lent.value("etlpool_connections_active{pool=\"orders\"}")).isEqualTo(2);
            assertThat(lent.value("etlpool_connections_idle{pool=\"orders\"}")).isEqualTo(0);
            // a gauge named *.total loses its suffix in Prometheus, as hikaricp.connections does
            assertThat(lent.value("etlpool_connections{pool=\"orders\"}")).isEqualTo(2);
            assertThat(lent.value("etlpool_connections_pending{pool=\"orders\"}")).isEqualTo(0);
            assertThat(lent.value("etlpool_connections_opening{pool=\"orders\"}")).isEqualTo(0);
            assertThat(lent.value("etlpool_connections_max{pool=\"orders\"}")).isEqualTo(2);
            assertThat(lent.value("etlpool_connections_min{pool=\"orders\"}")).isEqualTo(0);
            assertThat(lent.value("etlpool_connections_timeout_total{pool=\"orders\"}")).isEqualTo(1);
            assertThat(lent.value("etlpool_connections_broken_total{pool=\"orders\"}")).isEqualTo(0);
            assertThat(lent.value("etlpool_connections_acquire_seconds_count{pool=\"orders\"}")).isEqualTo(2);
            assertThat(lent.value("etlpool_connections_creation_seconds_count{pool=\"orders\"}"))
                    .isEqualTo(2 - openedAtStart);
            assertThat(lent.value("etlpool_connections_creation_seconds_sum{pool=\"orders\"}")).isPositive();
            assertThat(lent.value("etlpool_connections_usage_seconds_count{pool=\"orders\"}")).isEqualTo(0);

            db.terminateBackends(); // both lent connections die; only the first one's borrower finds out
            assertThatThrownBy(() -> first.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
            first.close();
            second.close();

            Scrape returned = new Scrape(registry);
            assertThat(returned.value("etlpool_connections_broken_total{pool=\"orders\"}")).isEqualTo(1);
            assertThat(returned.value("etlpool_connections_usage_seconds_count{pool=\"orders\"}")).isEqualTo(2);
            assertThat(returned.value("etlpool_connections_active{pool=\"orders\"}")).isEqualTo(0);
            assertThat(returned.value("etlpool_connections_idle{pool=\"orders\"}")).isEqualTo(1);
            assertThat(returned.value("etlpool_connections{pool=\"orders\"}")).isEqualTo(1);
            metrics.close();
        }
    }

    @Test
    void closingTheBindingRemovesItsMetersAndStopsItsTimers(TestDatabase db) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (EtlPool pool = pool(db, "unbound")) {
            EtlPoolMetrics metrics = EtlPoolMetrics.bind(pool, registry);
            pool.getConnection().close();
            Timer acquire = registry.get("etlpool.connections.acquire").tag("pool", "unbound").timer();
            assertThat(acquire.count()).isEqualTo(1);
            assertThat(metrics.meters()).hasSize(12);

            metrics.close();
            metrics.close();
            pool.getConnection().close();

            assertThat(acquire.count()).as("the listener is gone from the pool").isEqualTo(1);
            assertThat(registry.getMeters()).isEmpty();
            assertThat(new Scrape(registry).text).doesNotContain("etlpool");
            assertThat(metrics.meters()).isEmpty();
        }
    }

    @Test
    void countersAreTotalsSinceThePoolStartedEvenWhenBoundLater(TestDatabase db) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (EtlPool pool = pool(db, "late")) {
            try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
                assertThatThrownBy(pool::getConnection).isInstanceOf(PoolTimeoutException.class);
            }
            try (EtlPoolMetrics metrics = EtlPoolMetrics.bind(pool, registry)) {
                assertThat(new Scrape(registry).value("etlpool_connections_timeout_total{pool=\"late\"}")).isEqualTo(1);
            }
        }
    }

    @Test
    void openTelemetryNamesFollowTheDatabaseClientSemanticConventions(TestDatabase db) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (EtlPool pool = pool(db, "otel");
             EtlPoolMetrics metrics = EtlPoolMetrics.bindOpenTelemetryNames(pool, registry)) {
            try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
                assertThatThrownBy(pool::getConnection).isInstanceOf(PoolTimeoutException.class);
                assertThat(registry.get("db.client.connection.count").tag("db.client.connection.state", "used")
                        .gauge().value()).isEqualTo(2);
            }

            // in the registry: the names and tags an OpenTelemetry backend expects
            assertThat(registry.get("db.client.connection.count").tag("db.client.connection.pool.name", "otel")
                    .tag("db.client.connection.state", "idle").gauge().value()).isEqualTo(2);
            assertThat(registry.get("db.client.connection.count").tag("db.client.connection.state", "used")
                    .gauge().value()).isEqualTo(0);
            assertThat(registry.get("db.client.connection.wait_time").timer().count()).isEqualTo(2);
            assertThat(registry.get("db.client.connection.create_time").timer().count()).isGreaterThanOrEqualTo(1);
            assertThat(registry.get("db.client.connection.use_time").timer().count()).isEqualTo(2);
            assertThat(registry.get("db.client.connection.timeouts").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("db.client.connection.max").gauge().value()).isEqualTo(2);
            assertThat(registry.get("db.client.connection.idle.max").gauge().value()).isEqualTo(2);
            assertThat(registry.get("db.client.connection.idle.min").gauge().value()).isEqualTo(0);
            assertThat(registry.get("db.client.connection.pending_requests").gauge().value()).isEqualTo(0);
            assertThat(registry.find("etlpool.connections.active").meters()).isEmpty();

            Scrape scrape = new Scrape(registry);
            assertThat(scrape.value("db_client_connection_count{db_client_connection_pool_name=\"otel\","
                    + "db_client_connection_state=\"idle\"}")).isEqualTo(2);
        }
    }
}
