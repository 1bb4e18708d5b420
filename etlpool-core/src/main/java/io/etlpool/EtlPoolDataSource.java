package io.etlpool;

import javax.sql.DataSource;
import java.io.Closeable;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * An {@link EtlPool} as a JavaBean {@link DataSource}, for frameworks that create the pool by reflection
 * and set its properties one by one (Spring Boot's {@code spring.datasource.type}, property binding,
 * {@code DataSourceBuilder.derivedFrom}, JNDI factories):
 *
 * <pre>{@code
 * EtlPoolDataSource ds = new EtlPoolDataSource();
 * ds.setUrl("jdbc:postgresql://localhost:5432/shop");
 * ds.setUsername("etl");
 * ds.setPassword(secret);
 * ds.setMaxSize(20);
 * try (Connection c = ds.getConnection()) { ... }   // the pool starts here
 * ds.close();
 * }</pre>
 *
 * <p>Every setting of {@link EtlPoolBuilder} has a getter and a setter here, with the builder's defaults
 * and validation; durations are set either as a {@link Duration} or in milliseconds ({@code ...Ms}). The
 * pool starts on first use ({@link #getConnection()}, {@link #unwrap unwrap(EtlPool.class)},
 * {@link #pool()}, {@link #stats()}), once, even when several threads use it first at the same time. After
 * that, minSize and maxSize may still change (the pool is resized); any other setter throws
 * {@link IllegalStateException} saying that the setting cannot change on a running pool. {@link #close()}
 * closes the pool; a closed data source lends nothing.
 */
public class EtlPoolDataSource implements DataSource, AutoCloseable, Closeable {

    /** Guarded by this: settings are read once, when the pool starts. */
    private final EtlPoolBuilder settings = EtlPool.builder();
    private volatile EtlPool pool;
    private volatile boolean closed;
    private final DataSourcePlumbing plumbing = new DataSourcePlumbing();

    /** A data source with the builder's defaults; set at least the URL (or a DataSource) before first use. */
    public EtlPoolDataSource() {
    }

    // ---------------------------------------------------------------- the pool

    /** A connection from the pool (started now if it has not yet); see {@link EtlPool#getConnection()}. */
    @Override
    public Connection getConnection() throws SQLException {
        return pool().getConnection();
    }

    /** Not supported: a pool's connections all use the pool's credentials. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("a pool lends connections with its own credentials: use getConnection()");
    }

    /**
     * The running pool, started now if it has not yet (one pool, whichever thread comes first).
     *
     * @throws SQLException        when the pool cannot start (see {@link EtlPoolBuilder#build()})
     * @throws PoolClosedException when this data source was closed
     */
    public EtlPool pool() throws SQLException {
        EtlPool p = pool;
        if (p != null) {
            return p;
        }
        synchronized (this) {
            if (closed) {
                throw new PoolClosedException("EtlPoolDataSource " + describe() + " is closed: it lends nothing any more");
            }
            if (pool == null) {
                pool = settings.build();
            }
            return pool;
        }
    }

    /** The pool's figures (it is started now if it has not yet). */
    public PoolStats stats() throws SQLException {
        return pool().stats();
    }

    /** Whether the pool has started (and not been closed). */
    public boolean isRunning() {
        EtlPool p = pool;
        return p != null && !p.isClosed();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Closes the pool if it was started (see {@link EtlPool#close()}); after this the data source lends nothing. */
    @Override
    public void close() {
        EtlPool p;
        synchronized (this) {
            closed = true;
            p = pool;
        }
        if (p != null) {
            p.close();
        }
    }

    // ---------------------------------------------------------------- connection source

    /** The pool's name in messages, logs, thread names and JMX (default {@code etlpool-N}). */
    public synchronized String getPoolName() {
        EtlPool p = pool;
        return p != null ? p.name() : settings.name;
    }

    /** See {@link EtlPoolBuilder#name}. */
    public void setPoolName(String poolName) {
        set("poolName", b -> b.name(poolName));
    }

    /** The JDBC URL; the same as {@link #getUrl()}. */
    public synchronized String getJdbcUrl() {
        return settings.jdbcUrl;
    }

    /** Sets the JDBC URL; see {@link EtlPoolBuilder#jdbcUrl}. */
    public void setJdbcUrl(String jdbcUrl) {
        set("jdbcUrl", b -> b.jdbcUrl(jdbcUrl));
    }

    /** The JDBC URL (the name Spring Boot's {@code spring.datasource.url} binds to). */
    public String getUrl() {
        return getJdbcUrl();
    }

    /** Sets the JDBC URL; see {@link EtlPoolBuilder#jdbcUrl}. */
    public void setUrl(String url) {
        setJdbcUrl(url);
    }

    /** The database user. */
    public synchronized String getUsername() {
        return settings.username;
    }

    /** See {@link EtlPoolBuilder#username}. */
    public void setUsername(String username) {
        set("username", b -> b.username(username));
    }

    /**
     * The password as set (frameworks that copy a data source's settings need it); it is never part of
     * {@link #toString()}, a log line or an exception message.
     */
    public synchronized String getPassword() {
        return settings.password;
    }

    /** See {@link EtlPoolBuilder#password}. */
    public void setPassword(String password) {
        set("password", b -> b.password(password));
    }

    /** The JDBC driver's class; optional when the driver registers itself (PgJDBC does). */
    public synchronized String getDriverClassName() {
        return settings.driverClassName;
    }

    /** See {@link EtlPoolBuilder#driverClassName}. */
    public void setDriverClassName(String driverClassName) {
        set("driverClassName", b -> b.driverClassName(driverClassName));
    }

    /** The driver properties set so far (a copy). */
    public synchronized Properties getDataSourceProperties() {
        Properties copy = new Properties();
        copy.putAll(settings.driverProperties);
        return copy;
    }

    /** Adds these driver properties (e.g. {@code reWriteBatchedInserts=true}). */
    public void setDataSourceProperties(Properties properties) {
        set("dataSourceProperties", b -> properties.stringPropertyNames()
                .forEach(k -> b.property(k, properties.getProperty(k))));
    }

    /** Adds one driver property. */
    public void addDataSourceProperty(String key, String value) {
        set("dataSourceProperties", b -> b.property(key, value));
    }

    /** The DataSource connections come from, instead of a JDBC URL. */
    public synchronized DataSource getDataSource() {
        return settings.dataSource;
    }

    /** See {@link EtlPoolBuilder#dataSource}. */
    public void setDataSource(DataSource dataSource) {
        set("dataSource", b -> b.dataSource(dataSource));
    }

    // ---------------------------------------------------------------- sizes (may change while running)

    /** See {@link EtlPoolBuilder#minSize}. */
    public synchronized int getMinSize() {
        return settings.minSize;
    }

    /** minSize; on a running pool it resizes it (see {@link EtlPool#resize}). */
    public synchronized void setMinSize(int minSize) {
        resize(minSize, settings.maxSize);
    }

    /** See {@link EtlPoolBuilder#maxSize}. */
    public synchronized int getMaxSize() {
        return settings.maxSize;
    }

    /** maxSize; on a running pool it resizes it (see {@link EtlPool#resize}). */
    public synchronized void setMaxSize(int maxSize) {
        resize(settings.minSize, maxSize);
    }

    private void resize(int minSize, int maxSize) {
        EtlPool p = pool;
        if (p != null) {
            p.resize(minSize, maxSize); // validates; the settings follow only when it accepted
        }
        settings.minSize(minSize).maxSize(maxSize);
    }

    /** See {@link EtlPoolBuilder#maxWaiting}. */
    public synchronized int getMaxWaiting() {
        return settings.maxWaiting;
    }

    /** See {@link EtlPoolBuilder#maxWaiting}. */
    public void setMaxWaiting(int maxWaiting) {
        set("maxWaiting", b -> b.maxWaiting(maxWaiting));
    }

    // ---------------------------------------------------------------- durations

    /** See {@link EtlPoolBuilder#connectionTimeout}. */
    public synchronized Duration getConnectionTimeout() {
        return settings.connectionTimeout;
    }

    /** See {@link EtlPoolBuilder#connectionTimeout}. */
    public void setConnectionTimeout(Duration connectionTimeout) {
        set("connectionTimeout", b -> b.connectionTimeout(connectionTimeout));
    }

    /** The same as connectionTimeout in milliseconds; see {@link EtlPoolBuilder#connectionTimeout}. */
    public long getConnectionTimeoutMs() {
        return getConnectionTimeout().toMillis();
    }

    /** Sets connectionTimeout in milliseconds; see {@link EtlPoolBuilder#connectionTimeout}. */
    public void setConnectionTimeoutMs(long ms) {
        setConnectionTimeout(Duration.ofMillis(ms));
    }

    /** See {@link EtlPoolBuilder#idleTimeout}. */
    public synchronized Duration getIdleTimeout() {
        return settings.idleTimeout;
    }

    /** See {@link EtlPoolBuilder#idleTimeout}. */
    public void setIdleTimeout(Duration idleTimeout) {
        set("idleTimeout", b -> b.idleTimeout(idleTimeout));
    }

    /** The same as idleTimeout in milliseconds; see {@link EtlPoolBuilder#idleTimeout}. */
    public long getIdleTimeoutMs() {
        return getIdleTimeout().toMillis();
    }

    /** Sets idleTimeout in milliseconds; see {@link EtlPoolBuilder#idleTimeout}. */
    public void setIdleTimeoutMs(long ms) {
        setIdleTimeout(Duration.ofMillis(ms));
    }

    /** See {@link EtlPoolBuilder#maxLifetime}. */
    public synchronized Duration getMaxLifetime() {
        return settings.maxLifetime;
    }

    /** See {@link EtlPoolBuilder#maxLifetime}. */
    public void setMaxLifetime(Duration maxLifetime) {
        set("maxLifetime", b -> b.maxLifetime(maxLifetime));
    }

    /** The same as maxLifetime in milliseconds; see {@link EtlPoolBuilder#maxLifetime}. */
    public long getMaxLifetimeMs() {
        return getMaxLifetime().toMillis();
    }

    /** Sets maxLifetime in milliseconds; see {@link EtlPoolBuilder#maxLifetime}. */
    public void setMaxLifetimeMs(long ms) {
        setMaxLifetime(Duration.ofMillis(ms));
    }

    /** See {@link EtlPoolBuilder#keepaliveInterval}. */
    public synchronized Duration getKeepaliveInterval() {
        return settings.keepaliveInterval;
    }

    /** See {@link EtlPoolBuilder#keepaliveInterval}. */
    public void setKeepaliveInterval(Duration keepaliveInterval) {
        set("keepaliveInterval", b -> b.keepaliveInterval(keepaliveInterval));
    }

    /** The same as keepaliveInterval in milliseconds; see {@link EtlPoolBuilder#keepaliveInterval}. */
    public long getKeepaliveIntervalMs() {
        return getKeepaliveInterval().toMillis();
    }

    /** Sets keepaliveInterval in milliseconds; see {@link EtlPoolBuilder#keepaliveInterval}. */
    public void setKeepaliveIntervalMs(long ms) {
        setKeepaliveInterval(Duration.ofMillis(ms));
    }

    /** See {@link EtlPoolBuilder#validationTimeout}. */
    public synchronized Duration getValidationTimeout() {
        return settings.validationTimeout;
    }

    /** See {@link EtlPoolBuilder#validationTimeout}. */
    public void setValidationTimeout(Duration validationTimeout) {
        set("validationTimeout", b -> b.validationTimeout(validationTimeout));
    }

    /** The same as validationTimeout in milliseconds; see {@link EtlPoolBuilder#validationTimeout}. */
    public long getValidationTimeoutMs() {
        return getValidationTimeout().toMillis();
    }

    /** Sets validationTimeout in milliseconds; see {@link EtlPoolBuilder#validationTimeout}. */
    public void setValidationTimeoutMs(long ms) {
        setValidationTimeout(Duration.ofMillis(ms));
    }

    /** See {@link EtlPoolBuilder#validateAfterIdle}. */
    public synchronized Duration getValidateAfterIdle() {
        return settings.validateAfterIdle;
    }

    /** See {@link EtlPoolBuilder#validateAfterIdle}. */
    public void setValidateAfterIdle(Duration validateAfterIdle) {
        set("validateAfterIdle", b -> b.validateAfterIdle(validateAfterIdle));
    }

    /** The same as validateAfterIdle in milliseconds; see {@link EtlPoolBuilder#validateAfterIdle}. */
    public long getValidateAfterIdleMs() {
        return getValidateAfterIdle().toMillis();
    }

    /** Sets validateAfterIdle in milliseconds; see {@link EtlPoolBuilder#validateAfterIdle}. */
    public void setValidateAfterIdleMs(long ms) {
        setValidateAfterIdle(Duration.ofMillis(ms));
    }

    /** See {@link EtlPoolBuilder#initializationFailTimeout}. */
    public synchronized Duration getInitializationFailTimeout() {
        return settings.initializationFailTimeout;
    }

    /** See {@link EtlPoolBuilder#initializationFailTimeout}. */
    public void setInitializationFailTimeout(Duration initializationFailTimeout) {
        set("initializationFailTimeout", b -> b.initializationFailTimeout(initializationFailTimeout));
    }

    /** The same as initializationFailTimeout in milliseconds; see {@link EtlPoolBuilder#initializationFailTimeout}. */
    public long getInitializationFailTimeoutMs() {
        return getInitializationFailTimeout().toMillis();
    }

    /** Sets initializationFailTimeout in milliseconds; see {@link EtlPoolBuilder#initializationFailTimeout}. */
    public void setInitializationFailTimeoutMs(long ms) {
        setInitializationFailTimeout(Duration.ofMillis(ms));
    }

    /** See {@link EtlPoolBuilder#leakDetectionThreshold}. */
    public synchronized Duration getLeakDetectionThreshold() {
        return settings.leakDetectionThreshold;
    }

    /** See {@link EtlPoolBuilder#leakDetectionThreshold}. */
    public void setLeakDetectionThreshold(Duration leakDetectionThreshold) {
        set("leakDetectionThreshold", b -> b.leakDetectionThreshold(leakDetectionThreshold));
    }

    /** The same as leakDetectionThreshold in milliseconds; see {@link EtlPoolBuilder#leakDetectionThreshold}. */
    public long getLeakDetectionThresholdMs() {
        return getLeakDetectionThreshold().toMillis();
    }

    /** Sets leakDetectionThreshold in milliseconds; see {@link EtlPoolBuilder#leakDetectionThreshold}. */
    public void setLeakDetectionThresholdMs(long ms) {
        setLeakDetectionThreshold(Duration.ofMillis(ms));
    }

    /** See {@link EtlPoolBuilder#closeGracePeriod}. */
    public synchronized Duration getCloseGracePeriod() {
        return settings.closeGracePeriod;
    }

    /** See {@link EtlPoolBuilder#closeGracePeriod}. */
    public void setCloseGracePeriod(Duration closeGracePeriod) {
        set("closeGracePeriod", b -> b.closeGracePeriod(closeGracePeriod));
    }

    /** The same as closeGracePeriod in milliseconds; see {@link EtlPoolBuilder#closeGracePeriod}. */
    public long getCloseGracePeriodMs() {
        return getCloseGracePeriod().toMillis();
    }

    /** Sets closeGracePeriod in milliseconds; see {@link EtlPoolBuilder#closeGracePeriod}. */
    public void setCloseGracePeriodMs(long ms) {
        setCloseGracePeriod(Duration.ofMillis(ms));
    }

    /** See {@link EtlPoolBuilder#retryBackoff}. */
    public synchronized Duration getRetryBackoff() {
        return settings.retryBackoff;
    }

    /** See {@link EtlPoolBuilder#retryBackoff}. */
    public void setRetryBackoff(Duration retryBackoff) {
        set("retryBackoff", b -> b.retryBackoff(retryBackoff));
    }

    /** The same as retryBackoff in milliseconds; see {@link EtlPoolBuilder#retryBackoff}. */
    public long getRetryBackoffMs() {
        return getRetryBackoff().toMillis();
    }

    /** Sets retryBackoff in milliseconds; see {@link EtlPoolBuilder#retryBackoff}. */
    public void setRetryBackoffMs(long ms) {
        setRetryBackoff(Duration.ofMillis(ms));
    }

    // ---------------------------------------------------------------- session settings and transactions

    /** See {@link EtlPoolBuilder#initSql}. */
    public synchronized String getInitSql() {
        return settings.initSql;
    }

    /** See {@link EtlPoolBuilder#initSql}. */
    public void setInitSql(String initSql) {
        set("initSql", b -> b.initSql(initSql));
    }

    /** See {@link EtlPoolBuilder#autoCommit}. */
    public synchronized boolean isAutoCommit() {
        return settings.autoCommit;
    }

    /** See {@link EtlPoolBuilder#autoCommit}. */
    public void setAutoCommit(boolean autoCommit) {
        set("autoCommit", b -> b.autoCommit(autoCommit));
    }

    /** See {@link EtlPoolBuilder#readOnly}. */
    public synchronized boolean isReadOnly() {
        return settings.readOnly;
    }

    /** See {@link EtlPoolBuilder#readOnly}. */
    public void setReadOnly(boolean readOnly) {
        set("readOnly", b -> b.readOnly(readOnly));
    }

    /** One of {@code Connection.TRANSACTION_*}, or null for the server's default. */
    public synchronized Integer getTransactionIsolation() {
        return settings.transactionIsolation;
    }

    /** See {@link EtlPoolBuilder#transactionIsolation}. */
    public void setTransactionIsolation(Integer level) {
        set("transactionIsolation", b -> b.transactionIsolation = level);
    }

    /** See {@link EtlPoolBuilder#schema}. */
    public synchronized String getSchema() {
        return settings.schema;
    }

    /** See {@link EtlPoolBuilder#schema}. */
    public void setSchema(String schema) {
        set("schema", b -> b.schema(schema));
    }

    /** See {@link EtlPoolBuilder#transactionAttempts}. */
    public synchronized int getTransactionAttempts() {
        return settings.transactionAttempts;
    }

    /** See {@link EtlPoolBuilder#transactionAttempts}. */
    public void setTransactionAttempts(int transactionAttempts) {
        set("transactionAttempts", b -> b.transactionAttempts(transactionAttempts));
    }

    /** See {@link EtlPoolBuilder#resolveCommitOutcome}. */
    public synchronized boolean isResolveCommitOutcome() {
        return settings.resolveCommitOutcome;
    }

    /** See {@link EtlPoolBuilder#resolveCommitOutcome}. */
    public void setResolveCommitOutcome(boolean resolveCommitOutcome) {
        set("resolveCommitOutcome", b -> b.resolveCommitOutcome(resolveCommitOutcome));
    }

    /** See {@link EtlPoolBuilder#registerMBean}. */
    public synchronized boolean isRegisterMBean() {
        return settings.registerMBean;
    }

    /** See {@link EtlPoolBuilder#registerMBean}. */
    public void setRegisterMBean(boolean registerMBean) {
        set("registerMBean", b -> b.registerMBean(registerMBean));
    }

    /** What is reset on a returned connection's session; null until set (the builder's default applies). */
    public synchronized ResetMode getResetOnReturn() {
        return settings.resetOnReturn;
    }

    /** See {@link EtlPoolBuilder#resetOnReturn}. */
    public void setResetOnReturn(ResetMode resetOnReturn) {
        set("resetOnReturn", b -> b.resetOnReturn(resetOnReturn));
    }

    /** Whether the pool connects through a transaction-pooling PgBouncer (either {@link PgBouncer} kind). */
    public synchronized boolean isPgbouncer() {
        return settings.pgbouncer != PgBouncer.NONE;
    }

    /** See {@link EtlPoolBuilder#pgbouncer(boolean)}. */
    public void setPgbouncer(boolean pgbouncer) {
        set("pgbouncer", b -> b.pgbouncer(pgbouncer));
    }

    /** Through which kind of PgBouncer the pool connects (default NONE). */
    public synchronized PgBouncer getPgbouncerMode() {
        return settings.pgbouncer;
    }

    /** See {@link EtlPoolBuilder#pgbouncer(PgBouncer)}. */
    public void setPgbouncerMode(PgBouncer mode) {
        set("pgbouncerMode", b -> b.pgbouncer(mode));
    }

    /** The credentials provider set, or null. */
    public synchronized CredentialsProvider getCredentialsProvider() {
        return settings.credentialsProvider;
    }

    /** See {@link EtlPoolBuilder#credentialsProvider(CredentialsProvider)}. */
    public void setCredentialsProvider(CredentialsProvider credentialsProvider) {
        set("credentialsProvider", b -> b.credentialsProvider(credentialsProvider));
    }

    /** See {@link EtlPoolBuilder#passwordSupplier(java.util.function.Supplier)}. */
    public void setPasswordSupplier(java.util.function.Supplier<String> passwordSupplier) {
        set("passwordSupplier", b -> b.passwordSupplier(passwordSupplier));
    }

    // ---------------------------------------------------------------- plumbing

    /** Applies a setting that cannot change on a running (or closed) pool. */
    private synchronized void set(String setting, Consumer<EtlPoolBuilder> change) {
        if (pool != null || closed) {
            throw new IllegalStateException(setting + " cannot change: the pool of EtlPoolDataSource " + describe()
                    + (closed ? " is closed" : " is already running (it started on first use)")
                    + "; set it before the first getConnection(), or create a new EtlPoolDataSource"
                    + " (only minSize and maxSize may change on a running pool)");
        }
        change.accept(settings);
    }

    private String describe() {
        EtlPool p = pool;
        return p != null ? p.name() : settings.name != null ? settings.name : "(unnamed)";
    }

    @Override
    public PrintWriter getLogWriter() {
        return plumbing.logWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        plumbing.logWriter(out);
    }

    /** Not settable: connectionTimeout bounds borrowing. */
    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        throw DataSourcePlumbing.loginTimeoutNotSettable();
    }

    /** connectionTimeout, in seconds. */
    @Override
    public int getLoginTimeout() {
        return DataSourcePlumbing.loginTimeout(getConnectionTimeout());
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return DataSourcePlumbing.parentLogger();
    }

    /** {@code unwrap(EtlPool.class)} gives the pool, started now if it has not yet. */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        if (iface.isAssignableFrom(EtlPool.class)) {
            return iface.cast(pool());
        }
        throw new SQLException("EtlPoolDataSource does not wrap a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this) || iface.isAssignableFrom(EtlPool.class);
    }

    /** The pool's name, URL (a password in it masked) and state; never the password. */
    @Override
    public String toString() {
        EtlPool p = pool;
        String url;
        synchronized (this) {
            url = io.etlpool.internal.Urls.mask(settings.jdbcUrl);
        }
        return "EtlPoolDataSource[" + describe() + ", url=" + url + ", username=" + getUsername()
                + (closed ? ", closed" : p != null ? ", " + p.stats() : ", not started") + "]";
    }
}
