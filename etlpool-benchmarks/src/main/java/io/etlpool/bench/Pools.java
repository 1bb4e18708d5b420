package io.etlpool.bench;

import com.mchange.v2.c3p0.ComboPooledDataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.exceptionsorter.PostgreSQLExceptionSorter;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.etlpool.EtlPool;
import org.apache.commons.dbcp2.BasicDataSource;
import org.vibur.dbcp.ViburDBCPDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * The pools under test, each configured for equal safety (docs/BENCHMARKS.md lists every setting): a
 * fixed size (min = max), the same 8 s wait for a connection, validation before lending where the pool
 * has the setting (etlpool, HikariCP and Agroal after 500 ms idle; DBCP2, c3p0, Vibur and Tomcat on
 * every borrow, their own notion of it), open transactions rolled back on return, the driver's default
 * auto-commit and isolation, leak detection and statement caches off.
 */
final class Pools {

    static final List<String> ALL = List.of("etlpool", "hikari", "agroal", "dbcp2", "c3p0", "vibur", "tomcat");
    static final long TIMEOUT_MS = 8_000;

    private Pools() {
    }

    /** A fixed-size pool of the given kind on a JDBC URL (the stub driver in micro-benchmarks, PostgreSQL in macro). */
    static DataSource create(String pool, String url, String user, String password, int size) throws SQLException {
        return create(pool, url, user, password, size, size);
    }

    /** A pool that starts with {@code min} connections and grows to {@code size} (the spike benchmark). */
    static DataSource create(String pool, String url, String user, String password, int min, int size)
            throws SQLException {
        switch (pool) {
            case "etlpool":
                return EtlPool.builder().name("bench").jdbcUrl(url).username(user).password(password)
                        .minSize(min).maxSize(size).connectionTimeout(Duration.ofMillis(TIMEOUT_MS))
                        .validateAfterIdle(Duration.ofMillis(500)).registerMBean(false).build();
            case "hikari": {
                HikariConfig c = new HikariConfig();
                c.setPoolName("bench");
                c.setJdbcUrl(url);
                c.setUsername(user);
                c.setPassword(password);
                c.setMinimumIdle(min);
                c.setMaximumPoolSize(size);
                c.setConnectionTimeout(TIMEOUT_MS);
                return new HikariDataSource(c);
            }
            case "agroal": {
                AgroalDataSourceConfigurationSupplier c = new AgroalDataSourceConfigurationSupplier();
                c.connectionPoolConfiguration(p -> p.minSize(min).maxSize(size).initialSize(min)
                        .acquisitionTimeout(Duration.ofMillis(TIMEOUT_MS))
                        .idleValidationTimeout(Duration.ofMillis(500))
                        // without it Agroal keeps lending connections a server restart broke (its default
                        // sorter treats no error as fatal); Quarkus sets this one for PostgreSQL
                        .exceptionSorter(new PostgreSQLExceptionSorter())
                        .connectionFactoryConfiguration(f -> {
                            f.jdbcUrl(url);
                            if (user != null) {
                                f.principal(new NamePrincipal(user)).credential(new SimplePassword(password));
                            }
                            return f;
                        }));
                return AgroalDataSource.from(c);
            }
            case "dbcp2": {
                BasicDataSource d = new BasicDataSource();
                d.setUrl(url);
                d.setUsername(user);
                d.setPassword(password);
                d.setInitialSize(min);
                d.setMinIdle(min);
                d.setMaxIdle(size);
                d.setMaxTotal(size);
                d.setMaxWait(Duration.ofMillis(TIMEOUT_MS));
                d.setTestOnBorrow(true);
                d.setRollbackOnReturn(true);
                return d;
            }
            case "c3p0": {
                ComboPooledDataSource d = new ComboPooledDataSource();
                d.setJdbcUrl(url);
                d.setUser(user);
                d.setPassword(password);
                d.setMinPoolSize(min);
                d.setMaxPoolSize(size);
                d.setInitialPoolSize(min);
                d.setCheckoutTimeout((int) TIMEOUT_MS);
                d.setTestConnectionOnCheckout(true);
                return d;
            }
            case "vibur": {
                ViburDBCPDataSource d = new ViburDBCPDataSource();
                d.setJdbcUrl(url);
                d.setUsername(user);
                d.setPassword(password);
                d.setPoolInitialSize(min);
                d.setPoolMaxSize(size);
                d.setConnectionTimeoutInMs(TIMEOUT_MS);
                d.setConnectionIdleLimitInSeconds(0); // validate on every borrow
                d.setTestConnectionQuery("isValid");
                d.setPoolFair(true);
                d.start();
                return d;
            }
            case "tomcat": {
                org.apache.tomcat.jdbc.pool.DataSource d = new org.apache.tomcat.jdbc.pool.DataSource();
                d.setUrl(url);
                d.setUsername(user);
                d.setPassword(password);
                d.setInitialSize(min);
                d.setMinIdle(min);
                d.setMaxIdle(size);
                d.setMaxActive(size);
                d.setMaxWait((int) TIMEOUT_MS);
                d.setTestOnBorrow(true);
                d.setValidationInterval(500);
                d.setRollbackOnReturn(true);
                d.setFairQueue(true);
                d.setJmxEnabled(false);
                return d;
            }
            default:
                throw new IllegalArgumentException("unknown pool '" + pool + "': use one of " + ALL);
        }
    }

    static void close(DataSource ds) throws Exception {
        if (ds instanceof ViburDBCPDataSource) {
            ((ViburDBCPDataSource) ds).terminate();
        } else if (ds instanceof ComboPooledDataSource) {
            ((ComboPooledDataSource) ds).close();
        } else if (ds instanceof org.apache.tomcat.jdbc.pool.DataSource) {
            ((org.apache.tomcat.jdbc.pool.DataSource) ds).close(true);
        } else if (ds instanceof AutoCloseable) {
            ((AutoCloseable) ds).close();
        }
    }

    /** Waits until the pool has opened its fixed number of connections, so no run measures start-up. */
    static void warm(DataSource ds, int size) throws SQLException {
        Connection[] held = new Connection[size];
        for (int i = 0; i < size; i++) {
            held[i] = ds.getConnection();
        }
        for (Connection c : held) {
            c.close();
        }
    }
}
