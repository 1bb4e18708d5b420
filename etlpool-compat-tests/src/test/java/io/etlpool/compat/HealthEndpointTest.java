package io.etlpool.compat;

import io.etlpool.testing.FaultProxy;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Actuator over HTTP (a web application on a random port): the database health through etlpool's pool
 * is UP, DOWN while the database cannot be reached (a FaultProxy between pool and server refuses and cuts
 * connections), and UP again once it can; the pool's meters are in {@code /actuator/metrics} and in the
 * Prometheus scrape.
 */
@PostgresTest
class HealthEndpointTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ConfigurableApplicationContext web(TestDatabase db, FaultProxy proxy) {
        return Apps.start(App.class, db, WebApplicationType.SERVLET, "spring.datasource.url=" + db.jdbcUrlVia(proxy),
                "server.port=0", "server.address=127.0.0.1", "spring.datasource.name=shop",
                "spring.datasource.etlpool.max-size=4", "spring.datasource.etlpool.connection-timeout=2s",
                "management.endpoints.web.exposure.include=health,metrics,prometheus",
                "management.endpoint.health.show-details=always");
    }

    private static int port(ConfigurableApplicationContext ctx) {
        return Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port"));
    }

    @Test
    void theDatabaseHealthIsUpThenDownWhileTheDatabaseIsUnreachableThenUpAgain(TestDatabase db) throws Exception {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port());
             ConfigurableApplicationContext ctx = web(db, proxy)) {
            int port = port(ctx);
            HttpResponse<String> up = get(port, "/actuator/health");
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.body()).contains("\"db\":{\"status\":\"UP\"", "\"database\":\"PostgreSQL\"");

            proxy.refuseNew();
            proxy.cut();
            HttpResponse<String> down = get(port, "/actuator/health");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("\"db\":{\"status\":\"DOWN\"");

            proxy.heal();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            HttpResponse<String> again = get(port, "/actuator/health");
            while (again.statusCode() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                again = get(port, "/actuator/health");
            }
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
            assertThat(again.body()).contains("\"db\":{\"status\":\"UP\"");
        }
    }

    @Test
    void thePoolsMetersAreInActuatorMetricsAndThePrometheusScrape(TestDatabase db) throws Exception {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port());
             ConfigurableApplicationContext ctx = web(db, proxy)) {
            int port = port(ctx);
            assertThat(get(port, "/actuator/health").statusCode()).isEqualTo(200); // one borrow

            HttpResponse<String> max = get(port, "/actuator/metrics/jdbc.connections.max");
            assertThat(max.statusCode()).isEqualTo(200);
            assertThat(max.body()).contains("\"name\":\"jdbc.connections.max\"", "\"value\":4.0");
            assertThat(get(port, "/actuator/metrics/jdbc.connections.active").body()).contains("\"value\":0.0");

            HttpResponse<String> scrape = get(port, "/actuator/prometheus");
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("jdbc_connections_max{name=\"dataSource\"} 4.0",
                    "etlpool_connections_max{pool=\"shop\"} 4.0", "etlpool_connections_acquire_seconds_count{pool=\"shop\"}");
        }
    }
}
