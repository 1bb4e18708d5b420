package io.etlpool;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * The pool's settings, immutable and already validated: built by {@link EtlPoolBuilder}. The password
 * is kept but never shown: {@link #toString()} masks it.
 */
public final class PoolConfig {

    final String name;
    final String jdbcUrl;
    final String username;
    final String password;
    final String driverClassName;
    final CredentialsProvider credentialsProvider;
    final Properties driverProperties;
    final DataSource dataSource;
    final int minSize;
    final int maxSize;
    final Duration connectionTimeout;
    final Duration idleTimeout;
    final Duration maxLifetime;
    final Duration keepaliveInterval;
    final Duration validationTimeout;
    final Duration validateAfterIdle;
    final Duration initializationFailTimeout;
    final Duration leakDetectionThreshold;
    final Duration closeGracePeriod;
    final int maxWaiting;
    final String initSql;
    final boolean autoCommit;
    final boolean readOnly;
    final Integer transactionIsolation;
    final String schema;
    final int transactionAttempts;
    final Duration retryBackoff;
    final boolean resolveCommitOutcome;
    final boolean registerMBean;
    final ResetMode resetOnReturn;
    final PgBouncer pgbouncer;
    final List<PoolListener> listeners;

    PoolConfig(EtlPoolBuilder b, String name) {
        this.name = name;
        this.jdbcUrl = b.jdbcUrl;
        this.username = b.username;
        this.password = b.password;
        this.driverClassName = b.driverClassName;
        this.credentialsProvider = b.credentialsProvider;
        this.driverProperties = new Properties();
        this.driverProperties.putAll(b.driverProperties);
        this.dataSource = b.dataSource;
        this.minSize = b.minSize;
        this.maxSize = b.maxSize;
        this.connectionTimeout = b.connectionTimeout;
        this.idleTimeout = b.idleTimeout;
        this.maxLifetime = b.maxLifetime;
        this.keepaliveInterval = b.keepaliveInterval;
        this.validationTimeout = b.validationTimeout;
        this.validateAfterIdle = b.validateAfterIdle;
        this.initializationFailTimeout = b.initializationFailTimeout;
        this.leakDetectionThreshold = b.leakDetectionThreshold;
        this.closeGracePeriod = b.closeGracePeriod;
        this.maxWaiting = b.maxWaiting;
        this.initSql = b.initSql;
        this.autoCommit = b.autoCommit;
        this.readOnly = b.readOnly;
        this.transactionIsolation = b.transactionIsolation;
        this.schema = b.schema;
        this.transactionAttempts = b.transactionAttempts;
        this.retryBackoff = b.retryBackoff;
        this.resolveCommitOutcome = b.resolveCommitOutcome;
        this.registerMBean = b.registerMBean;
        this.pgbouncer = b.pgbouncer;
        this.resetOnReturn = b.resetOnReturn != null ? b.resetOnReturn
                : b.pgbouncer != PgBouncer.NONE ? ResetMode.NONE : ResetMode.AUTO;
        if (b.pgbouncer == PgBouncer.TRANSACTION_POOLING) {
            this.driverProperties.setProperty("prepareThreshold", "0");
        }
        this.listeners = List.copyOf(b.listeners);
    }

    /** The pool's name. */
    public String name() {
        return name;
    }

    /** The JDBC URL, or null when a DataSource supplies the connections. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The database user, or null. */
    public String username() {
        return username;
    }

    /** Where each new connection's user and password come from, or null for the fixed username and password. */
    public CredentialsProvider credentialsProvider() {
        return credentialsProvider;
    }

    /** The JDBC driver's class as set, or null when DriverManager finds the driver for the URL. */
    public String driverClassName() {
        return driverClassName;
    }

    /** Driver properties as given (with {@code prepareThreshold=0} under pgbouncer(true)), without user and password. */
    public Properties driverProperties() {
        Properties copy = new Properties();
        copy.putAll(driverProperties);
        return copy;
    }

    /** The DataSource that supplies connections, or null when jdbcUrl does. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** See {@link EtlPoolBuilder#minSize}. */
    public int minSize() {
        return minSize;
    }

    /** See {@link EtlPoolBuilder#maxSize}. */
    public int maxSize() {
        return maxSize;
    }

    /** See {@link EtlPoolBuilder#connectionTimeout}. */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** See {@link EtlPoolBuilder#idleTimeout}. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** See {@link EtlPoolBuilder#maxLifetime}. */
    public Duration maxLifetime() {
        return maxLifetime;
    }

    /** See {@link EtlPoolBuilder#keepaliveInterval}. */
    public Duration keepaliveInterval() {
        return keepaliveInterval;
    }

    /** See {@link EtlPoolBuilder#validationTimeout}. */
    public Duration validationTimeout() {
        return validationTimeout;
    }

    /** See {@link EtlPoolBuilder#validateAfterIdle}. */
    public Duration validateAfterIdle() {
        return validateAfterIdle;
    }

    /** See {@link EtlPoolBuilder#initializationFailTimeout}. */
    public Duration initializationFailTimeout() {
        return initializationFailTimeout;
    }

    /** See {@link EtlPoolBuilder#leakDetectionThreshold}. */
    public Duration leakDetectionThreshold() {
        return leakDetectionThreshold;
    }

    /** See {@link EtlPoolBuilder#closeGracePeriod}. */
    public Duration closeGracePeriod() {
        return closeGracePeriod;
    }

    /** See {@link EtlPoolBuilder#maxWaiting}. */
    public int maxWaiting() {
        return maxWaiting;
    }

    /** See {@link EtlPoolBuilder#initSql}. */
    public String initSql() {
        return initSql;
    }

    /** See {@link EtlPoolBuilder#autoCommit}. */
    public boolean autoCommit() {
        return autoCommit;
    }

    /** See {@link EtlPoolBuilder#readOnly}. */
    public boolean readOnly() {
        return readOnly;
    }

    /** The default isolation level ({@code Connection.TRANSACTION_*}), or null for the server's default. */
    public Integer transactionIsolation() {
        return transactionIsolation;
    }

    /** See {@link EtlPoolBuilder#schema}. */
    public String schema() {
        return schema;
    }

    /** See {@link EtlPoolBuilder#transactionAttempts}. */
    public int transactionAttempts() {
        return transactionAttempts;
    }

    /** See {@link EtlPoolBuilder#retryBackoff}. */
    public Duration retryBackoff() {
        return retryBackoff;
    }

    /** Whether a COMMIT lost with its connection is resolved by asking the server (default on). */
    public boolean resolveCommitOutcome() {
        return resolveCommitOutcome;
    }

    /** What is reset on a returned connection's session (default AUTO; NONE with pgbouncer). */
    public ResetMode resetOnReturn() {
        return resetOnReturn;
    }

    /** Whether the pool connects through PgBouncer in transaction pooling mode (either kind). */
    public boolean pgbouncer() {
        return pgbouncer != PgBouncer.NONE;
    }

    /** Through which kind of PgBouncer the pool connects (default NONE). */
    public PgBouncer pgbouncerMode() {
        return pgbouncer;
    }

    /** See {@link EtlPoolBuilder#registerMBean}. */
    public boolean registerMBean() {
        return registerMBean;
    }

    /** The listeners given to the builder (the pool's listeners at start; more can be added to a running pool). */
    public List<PoolListener> listeners() {
        return listeners;
    }

    /** Every setting but the password, which shows as {@code ****} when set. */
    @Override
    public String toString() {
        return "PoolConfig[name=" + name
                + ", " + (dataSource != null ? "dataSource=" + dataSource.getClass().getName() : "jdbcUrl=" + jdbcUrl)
                + (driverClassName != null ? ", driverClassName=" + driverClassName : "")
                + ", username=" + username + ", password=" + (password == null ? "null" : "****")
                + (credentialsProvider != null ? ", credentialsProvider=" + credentialsProvider.getClass().getName() : "")
                + ", driverProperties=" + driverProperties.stringPropertyNames()
                + ", minSize=" + minSize + ", maxSize=" + maxSize
                + ", connectionTimeout=" + connectionTimeout + ", idleTimeout=" + idleTimeout
                + ", maxLifetime=" + maxLifetime + ", keepaliveInterval=" + keepaliveInterval
                + ", validationTimeout=" + validationTimeout + ", validateAfterIdle=" + validateAfterIdle
                + ", initializationFailTimeout=" + initializationFailTimeout
                + ", leakDetectionThreshold=" + leakDetectionThreshold + ", maxWaiting=" + maxWaiting
                + ", autoCommit=" + autoCommit + ", readOnly=" + readOnly
                + ", transactionIsolation=" + transactionIsolation + ", schema=" + schema
                + ", transactionAttempts=" + transactionAttempts + ", resolveCommitOutcome=" + resolveCommitOutcome
                + ", resetOnReturn=" + resetOnReturn + ", pgbouncer=" + pgbouncer + "]";
    }
}
