package io.etlpool.micrometer;

/**
 * Which names and tags {@link EtlPoolMetrics} gives the pool's meters. Both describe the same
 * measurements; docs/INTEGRATION.md lists every meter under each naming.
 */
public enum MeterNaming {

    /**
     * {@code etlpool.connections.*}, tagged {@code pool=<name>}: the names a Prometheus or Grafana user
     * of HikariCP's {@code hikaricp.connections.*} finds in the same places.
     */
    ETLPOOL,

    /**
     * OpenTelemetry's database client semantic conventions: {@code db.client.connection.count} (tagged
     * {@code db.client.connection.state=idle|used}), {@code .max}, {@code .idle.max}, {@code .idle.min},
     * {@code .pending_requests}, {@code .timeouts}, {@code .create_time}, {@code .wait_time} and
     * {@code .use_time}, each tagged {@code db.client.connection.pool.name=<name>}.
     */
    OPENTELEMETRY
}
