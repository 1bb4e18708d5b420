package io.etlpool.micrometer;

import io.etlpool.EtlPool;
import io.etlpool.PoolListener;
import io.etlpool.PoolStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one pool in one Micrometer registry, from {@link #bind(EtlPool, MeterRegistry)} until
 * {@link #close()}.
 *
 * <p>Gauges and counters read {@link EtlPool#stats()} when the registry is scraped, so the counters are
 * totals since the pool started (also when bound later) and agree with {@code stats()} and JMX. The
 * timers are fed by a {@link PoolListener} added to the pool, and so count from the moment of binding.
 * Gauges hold the pool weakly, as Micrometer's gauges do: a pool dropped without {@code close()} is not
 * kept alive by the registry.
 *
 * <p>Bind a pool once per registry: a second binding shares the first one's meters (Micrometer keys
 * meters by name and tags), and closing either removes them.
 */
public final class EtlPoolMetrics implements AutoCloseable {

    /** The tag naming the pool under {@link MeterNaming#ETLPOOL}. */
    public static final String POOL_TAG = "pool";

    private final EtlPool pool;
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final PoolListener listener;
    private boolean closed;

    private EtlPoolMetrics(EtlPool pool, MeterRegistry registry, MeterNaming naming) {
        this.pool = pool;
        this.registry = registry;
        if (naming == MeterNaming.OPENTELEMETRY) {
            listener = registerOpenTelemetryNames();
        } else {
            listener = registerEtlpoolNames();
        }
        pool.addListener(listener);
    }

    /** Registers the pool's {@code etlpool.connections.*} meters, tagged {@code pool=<name>}. */
    public static EtlPoolMetrics bind(EtlPool pool, MeterRegistry registry) {
        return bind(pool, registry, MeterNaming.ETLPOOL);
    }

    /** Registers the pool's meters under OpenTelemetry's {@code db.client.connection.*} names. */
    public static EtlPoolMetrics bindOpenTelemetryNames(EtlPool pool, MeterRegistry registry) {
        return bind(pool, registry, MeterNaming.OPENTELEMETRY);
    }

    /** Registers the pool's meters under the given naming. */
    public static EtlPoolMetrics bind(EtlPool pool, MeterRegistry registry, MeterNaming naming) {
        return new EtlPoolMetrics(Objects.requireNonNull(pool, "pool"), Objects.requireNonNull(registry, "registry"),
                Objects.requireNonNull(naming, "naming"));
    }

    /** The meters this binding registered (a copy). */
    public synchronized List<Meter> meters() {
        return List.copyOf(meters);
    }

    /** Removes this binding's meters from the registry and its listener from the pool; a second call does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pool.removeListener(listener);
        for (Meter m : meters) {
            registry.remove(m);
        }
        meters.clear();
    }

    private PoolListener registerEtlpoolNames() {
        Tags tags = Tags.of(POOL_TAG, pool.name());
        gauge("etlpool.connections.active", "Connections lent out now", tags, PoolStats::active);
        gauge("etlpool.connections.idle", "Connections ready to lend", tags, PoolStats::idle);
        // HikariCP's and OpenTelemetry's meaning of "pending": borrowers waiting for a connection
        gauge("etlpool.connections.pending", "Borrowers waiting for a connection", tags, PoolStats::waiting);
        gauge("etlpool.connections.opening", "Connections being opened now", tags, PoolStats::pending);
        gauge("etlpool.connections.total", "Open connections, lent or not", tags, PoolStats::total);
        gauge("etlpool.connections.max", "maxSize", tags, PoolStats::maxSize);
        gauge("etlpool.connections.min", "minSize", tags, PoolStats::minSize);
        counter("etlpool.connections.timeout", "Borrowers that got no connection within connectionTimeout", tags,
                PoolStats::timeouts);
        counter("etlpool.connections.broken", "Connections found broken in use and discarded", tags,
                PoolStats::brokenDiscarded);
        return new TimingListener(
                timer("etlpool.connections.acquire", "Time borrowers waited for a connection", tags),
                timer("etlpool.connections.usage", "Time connections were lent out", tags),
                timer("etlpool.connections.creation", "Time to open a connection (connect plus initSql)", tags));
    }

    private PoolListener registerOpenTelemetryNames() {
        Tags tags = Tags.of("db.client.connection.pool.name", pool.name());
        String count = "db.client.connection.count";
        gauge(count, "Connections in the state of the state tag", tags.and("db.client.connection.state", "idle"),
                PoolStats::idle);
        gauge(count, "Connections in the state of the state tag", tags.and("db.client.connection.state", "used"),
                PoolStats::active);
        gauge("db.client.connection.max", "The maximum number of open connections allowed", tags,
                PoolStats::maxSize);
        // any open connection may be idle: at most maxSize, and minSize are kept open
        gauge("db.client.connection.idle.max", "The maximum number of idle open connections allowed", tags,
                PoolStats::maxSize);
        gauge("db.client.connection.idle.min", "The minimum number of idle open connections allowed", tags,
                PoolStats::minSize);
        gauge("db.client.connection.pending_requests", "Borrowers waiting for a connection", tags,
                PoolStats::waiting);
        counter("db.client.connection.timeouts", "Borrowers that got no connection within connectionTimeout", tags,
                PoolStats::timeouts);
        return new TimingListener(
                timer("db.client.connection.wait_time", "The time it took to obtain an open connection from the pool",
                        tags),
                timer("db.client.connection.use_time", "The time between borrowing a connection and returning it",
                        tags),
                timer("db.client.connection.create_time", "The time it took to create a new connection", tags));
    }

    // no base unit on gauges: Prometheus would append it to the name (hikaricp.connections has none either)
    private void gauge(String name, String description, Tags tags, ToDoubleFunction<PoolStats> value) {
        meters.add(Gauge.builder(name, pool, p -> value.applyAsDouble(p.stats())).description(description)
                .tags(tags).register(registry));
    }

    private void counter(String name, String description, Tags tags, ToDoubleFunction<PoolStats> total) {
        meters.add(FunctionCounter.builder(name, pool, p -> total.applyAsDouble(p.stats())).description(description)
                .tags(tags).register(registry));
    }

    private Timer timer(String name, String description, Tags tags) {
        Timer t = Timer.builder(name).description(description).tags(tags).register(registry);
        meters.add(t);
        return t;
    }

    /** Feeds the three timers from the pool's events. */
    private static final class TimingListener implements PoolListener {
        private final Timer acquire;
        private final Timer usage;
        private final Timer creation;

        TimingListener(Timer acquire, Timer usage, Timer creation) {
            this.acquire = acquire;
            this.usage = usage;
            this.creation = creation;
        }

        @Override
        public void connectionBorrowed(Duration waited) {
            acquire.record(waited);
        }

        @Override
        public void connectionReturned(Duration used) {
            usage.record(used);
        }

        @Override
        public void connectionOpened(Duration took) {
            creation.record(took);
        }
    }
}
