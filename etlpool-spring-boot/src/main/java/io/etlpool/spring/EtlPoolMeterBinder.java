package io.etlpool.spring;

import io.etlpool.EtlPoolDataSource;
import io.etlpool.micrometer.EtlPoolMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.DisposableBean;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds the pool of the application's {@link EtlPoolDataSource} to each Micrometer registry Spring Boot
 * hands it ({@link EtlPoolMetrics#bind}). Binding starts the pool, as HikariCP's metrics do: a database
 * that cannot be reached then fails the start-up with the pool's message.
 */
public class EtlPoolMeterBinder implements MeterBinder, DisposableBean {

    private final EtlPoolDataSource dataSource;
    private final List<EtlPoolMetrics> bindings = new ArrayList<>();

    /** A binder of this data source's pool. */
    public EtlPoolMeterBinder(EtlPoolDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        try {
            bindings.add(EtlPoolMetrics.bind(dataSource.pool(), registry));
        } catch (SQLException e) {
            throw new IllegalStateException("etlpool could not start its pool to register its meters: "
                    + e.getMessage(), e);
        }
    }

    /** Removes the meters and the pool's listeners. */
    @Override
    public synchronized void destroy() {
        bindings.forEach(EtlPoolMetrics::close);
        bindings.clear();
    }
}
