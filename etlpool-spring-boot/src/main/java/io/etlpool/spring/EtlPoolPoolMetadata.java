package io.etlpool.spring;

import io.etlpool.EtlPoolDataSource;
import io.etlpool.PoolStats;
import org.springframework.boot.jdbc.metadata.AbstractDataSourcePoolMetadata;

import javax.sql.DataSource;
import java.sql.SQLException;

/**
 * Spring Boot's pool metadata of an {@link EtlPoolDataSource}. The figures of a pool that has not
 * started yet are 0 (reading them does not start it).
 */
class EtlPoolPoolMetadata extends AbstractDataSourcePoolMetadata<EtlPoolDataSource> {

    EtlPoolPoolMetadata(EtlPoolDataSource dataSource) {
        super(dataSource);
    }

    /** The etlpool data source behind this one, or null if it is none. */
    static EtlPoolDataSource unwrap(DataSource dataSource) {
        if (dataSource instanceof EtlPoolDataSource) {
            return (EtlPoolDataSource) dataSource;
        }
        try {
            return dataSource.isWrapperFor(EtlPoolDataSource.class) ? dataSource.unwrap(EtlPoolDataSource.class) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    private PoolStats statsIfRunning() {
        if (!getDataSource().isRunning()) {
            return null;
        }
        try {
            return getDataSource().stats();
        } catch (SQLException e) { // closed meanwhile
            return null;
        }
    }

    @Override
    public Integer getActive() {
        PoolStats s = statsIfRunning();
        return s == null ? 0 : s.active();
    }

    @Override
    public Integer getIdle() {
        PoolStats s = statsIfRunning();
        return s == null ? 0 : s.idle();
    }

    @Override
    public Integer getMax() {
        return getDataSource().getMaxSize();
    }

    @Override
    public Integer getMin() {
        return getDataSource().getMinSize();
    }

    /** etlpool validates with {@code Connection.isValid}, not a query. */
    @Override
    public String getValidationQuery() {
        return null;
    }

    @Override
    public Boolean getDefaultAutoCommit() {
        return getDataSource().isAutoCommit();
    }
}
