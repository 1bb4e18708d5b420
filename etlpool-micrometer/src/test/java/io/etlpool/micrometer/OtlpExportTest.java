package io.etlpool.micrometer;

import com.sun.net.httpserver.HttpServer;
import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import io.micrometer.core.instrument.Clock;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenTelemetry path docs/INTEGRATION.md describes: the pool's meters under the database client
 * conventions' names, exported by Micrometer's OTLP registry, as an OTLP/HTTP receiver (here one on
 * loopback, standing in for a collector) gets them.
 */
@PostgresTest
class OtlpExportTest {

    @Test
    void anOtlpReceiverGetsTheConventionsNamesAttributesAndValues(TestDatabase db) throws Exception {
        List<ExportMetricsServiceRequest> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/v1/metrics", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                received.add(ExportMetricsServiceRequest.parseFrom(body.readAllBytes()));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try (EtlPool pool = EtlPool.builder().name("orders").jdbcUrl(db.jdbcUrl()).username(db.user())
                .password(db.password()).minSize(0).maxSize(3).connectionTimeout(Duration.ofSeconds(5))
                .registerMBean(false).build()) {
            Map<String, String> settings = Map.of(
                    "otlp.url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/metrics",
                    "otlp.step", "PT1H", // no periodic push: the one on close is the one checked
                    "otlp.baseTimeUnit", "seconds"); // the conventions' unit for durations
            OtlpConfig config = settings::get;
            OtlpMeterRegistry registry = new OtlpMeterRegistry(config, Clock.SYSTEM);
            EtlPoolMetrics.bindOpenTelemetryNames(pool, registry);
            try (Connection held = pool.getConnection()) {
                pool.getConnection().close();
                registry.close(); // pushes what it has: one connection used, one idle
            }
        } finally {
            receiver.stop(0);
        }

        assertThat(received).isNotEmpty();
        Map<String, Metric> metrics = received.stream()
                .flatMap(r -> r.getResourceMetricsList().stream())
                .flatMap(rm -> rm.getScopeMetricsList().stream())
                .flatMap(sm -> sm.getMetricsList().stream())
                .collect(Collectors.toMap(Metric::getName, m -> m, (a, b) -> b));
        assertThat(metrics).containsKeys("db.client.connection.count", "db.client.connection.max",
                "db.client.connection.idle.max", "db.client.connection.idle.min",
                "db.client.connection.pending_requests", "db.client.connection.timeouts",
                "db.client.connection.wait_time", "db.client.connection.use_time",
                "db.client.connection.create_time");

        Map<String, Double> countByState = new HashMap<>();
        for (NumberDataPoint p : metrics.get("db.client.connection.count").getGauge().getDataPointsList()) {
            Map<String, String> attributes = attributes(p.getAttributesList());
            assertThat(attributes).containsEntry("db.client.connection.pool.name", "orders");
            countByState.put(attributes.get("db.client.connection.state"), p.getAsDouble());
        }
        assertThat(countByState).containsEntry("used", 1.0).containsEntry("idle", 1.0);
        assertThat(metrics.get("db.client.connection.max").getGauge().getDataPoints(0).getAsDouble()).isEqualTo(3);

        Metric waits = metrics.get("db.client.connection.wait_time");
        assertThat(waits.getUnit()).isEqualTo("seconds"); // Micrometer's spelling of the conventions' "s"
        assertThat(waits.getHistogram().getDataPoints(0).getCount()).isEqualTo(2); // the two borrows
        // in seconds: a borrow waits at most the 5 s timeout
        assertThat(waits.getHistogram().getDataPoints(0).getSum()).isLessThan(5.0);
        assertThat(metrics.get("db.client.connection.use_time").getHistogram().getDataPoints(0).getCount())
                .isEqualTo(1); // the one returned before the push
    }

    private static Map<String, String> attributes(List<KeyValue> list) {
        Map<String, String> out = new HashMap<>();
        list.forEach(kv -> out.put(kv.getKey(), kv.getValue().getStringValue()));
        return out;
    }
}
