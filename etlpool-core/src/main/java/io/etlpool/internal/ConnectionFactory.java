package io.etlpool.internal;

import io.etlpool.CredentialsProvider;
import io.etlpool.PgBouncer;
import io.etlpool.PoolConfig;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/** Opens a physical connection and gives it the pool's session settings. */
final class ConnectionFactory {

    /** PgJDBC's property; at 9.0 or above it sends its session settings in the login message. */
    static final String ASSUME_MIN_SERVER_VERSION = "assumeMinServerVersion";

    private final PoolConfig config;
    private final String password;
    /** Replaced, never changed, once set up: connects run on several threads. */
    private volatile Properties properties;
    private final long lifetimeNanos;
    private final boolean postgres;
    private volatile Driver driver;
    /** pgbouncer(PREPARED_STATEMENTS): whether a connection has shown that PgBouncer tracks prepared statements. */
    private volatile boolean bouncerChecked;

    /** @throws SQLException when driverClassName is set and cannot be loaded (on the builder's thread: its class loader) */
    ConnectionFactory(PoolConfig config, String password) throws SQLException {
        this.config = config;
        if (config.driverClassName() != null) {
            this.driver = loadDriver(config.driverClassName());
        }
        this.password = password;
        Properties properties = config.driverProperties();
        if (config.username() != null) {
            properties.setProperty("user", config.username());
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        this.postgres = config.jdbcUrl() != null && config.jdbcUrl().startsWith("jdbc:postgresql:");
        if (postgres) {
            // PgJDBC waits for the login forever by default: a stalled network would hang the opener.
            long seconds = Math.max(1, Math.min(10, config.connectionTimeout().toSeconds()));
            properties.putIfAbsent("loginTimeout", Long.toString(seconds));
            properties.putIfAbsent("connectTimeout", Long.toString(seconds));
        }
        this.properties = properties;
        this.lifetimeNanos = config.maxLifetime().toNanos();
    }

    PoolEntry open(int epoch) throws SQLException {
        // before the server's version is known, PgJDBC sets application_name (and, before PostgreSQL 12,
        // extra_float_digits) with a SET after the login: a RESET ALL or DISCARD ALL would undo those
        boolean driverSetsBySql = postgres && !properties.containsKey(ASSUME_MIN_SERVER_VERSION);
        Connection c = connect();
        try {
            learnServerVersion(c);
            if (config.pgbouncerMode() == PgBouncer.PREPARED_STATEMENTS && !bouncerChecked) {
                PgBouncerCheck.verify(c, config.name());
                bouncerChecked = true;
            }
            if (c.getAutoCommit() != config.autoCommit()) {
                c.setAutoCommit(config.autoCommit());
            }
            if (config.readOnly()) {
                c.setReadOnly(true);
            }
            applySessionSettings(c, config);
            ConnectionDefaults defaults = ConnectionDefaults.read(c);
            long now = System.nanoTime();
            PoolEntry e = new PoolEntry(c, defaults, now, retireAt(now));
            e.epoch = epoch;
            e.driverSetsBySql = driverSetsBySql;
            return e;
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * The pool's settings that live in the server session (isolation, schema, initSql): on a new
     * connection, and again after a RESET ALL or DISCARD ALL on return.
     */
    static void applySessionSettings(Connection c, PoolConfig config) throws SQLException {
        if (config.transactionIsolation() != null) {
            c.setTransactionIsolation(config.transactionIsolation());
        }
        if (config.schema() != null) {
            c.setSchema(config.schema());
        }
        if (config.initSql() != null) {
            try (Statement s = c.createStatement()) {
                s.execute(config.initSql());
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    /**
     * Without knowing the server's version, PgJDBC follows each login with a query of its own (SET
     * application_name, and SET extra_float_digits before PostgreSQL 12): a round trip and the new
     * backend's first statement. Once a connection
     * shows the server is 9.0 or later, the next logins carry these settings in the login message
     * instead. A value the user set (in driverProperties, or in the URL, which PgJDBC lets win) is kept.
     */
    private void learnServerVersion(Connection c) throws SQLException {
        Properties now = properties;
        if (postgres && !now.containsKey(ASSUME_MIN_SERVER_VERSION)
                && c.getMetaData().getDatabaseMajorVersion() >= 9) {
            Properties learned = new Properties();
            learned.putAll(now);
            learned.setProperty(ASSUME_MIN_SERVER_VERSION, "9.0");
            properties = learned;
        }
    }

    /** maxLifetime less up to 2.5% jitter, so that connections opened together do not all retire together. */
    private long retireAt(long now) {
        if (lifetimeNanos <= 0) {
            return Long.MAX_VALUE;
        }
        long jitter = (long) (lifetimeNanos * 0.025 * ThreadLocalRandom.current().nextDouble());
        return now + lifetimeNanos - jitter;
    }

    private Connection connect() throws SQLException {
        String user = config.username();
        String pw = password;
        Properties props = properties;
        CredentialsProvider provider = config.credentialsProvider();
        if (provider != null) { // asked for every connection: a rotated password is used from the next one on
            CredentialsProvider.Credentials credentials = askFor(provider);
            if (credentials.username() != null) {
                user = credentials.username();
            }
            pw = credentials.password();
            props = new Properties();
            props.putAll(properties);
            if (user != null) {
                props.setProperty("user", user);
            }
            if (pw != null) {
                props.setProperty("password", pw);
            } else {
                props.remove("password");
            }
        }
        if (config.dataSource() != null) {
            return user != null ? config.dataSource().getConnection(user, pw) : config.dataSource().getConnection();
        }
        Driver d = driver;
        if (d == null) {
            d = DriverManager.getDriver(config.jdbcUrl());
            driver = d;
        }
        Connection c = d.connect(config.jdbcUrl(), props);
        if (c == null) {
            throw new SQLException("No suitable driver: the driver returned no connection", "08001");
        }
        return c;
    }

    private CredentialsProvider.Credentials askFor(CredentialsProvider provider) throws SQLException {
        CredentialsProvider.Credentials credentials;
        try {
            credentials = provider.credentials();
        } catch (RuntimeException e) { // its message is not repeated: it might hold a secret
            throw new SQLException(config.name() + " - the credentialsProvider failed with " + e.getClass().getName(), "08001", e);
        }
        if (credentials == null) {
            throw new SQLException(config.name() + " - the credentialsProvider returned no credentials", "08001");
        }
        return credentials;
    }

    /** The named driver, from the context class loader (an application server's or Spring Boot's) or ours. */
    private static Driver loadDriver(String className) throws SQLException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Class<?> type;
        try {
            type = Class.forName(className, true, loader != null ? loader : ConnectionFactory.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            try {
                type = Class.forName(className, true, ConnectionFactory.class.getClassLoader());
            } catch (ClassNotFoundException again) {
                throw new SQLException("driverClassName " + className + " is not on the class path: add the driver's jar,"
                        + " or leave driverClassName unset to let DriverManager find the driver for the URL", "08001", again);
            }
        }
        if (!Driver.class.isAssignableFrom(type)) {
            throw new SQLException("driverClassName " + className + " is not a java.sql.Driver", "08001");
        }
        try {
            return (Driver) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new SQLException("driverClassName " + className + " could not be created: " + e, "08001", e);
        }
    }

    static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
