package io.etlpool;

import io.etlpool.internal.Pool;
import io.etlpool.internal.Settings;
import io.etlpool.internal.Urls;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Settings of a new {@link EtlPool}; {@link #build()} validates them all and starts the pool. Every
 * problem is reported with the setting's name and value, for example
 * "minSize (12) must not exceed maxSize (10)".
 *
 * <p>Defaults: minSize 1, maxSize 10, connectionTimeout 30 s, idleTimeout 10 min, maxLifetime 30 min,
 * keepaliveInterval 2 min, validationTimeout 5 s, validateAfterIdle 500 ms, initializationFailTimeout
 * 10 s, leak detection off, closeGracePeriod 10 s, maxWaiting unbounded, autoCommit on, transactionAttempts 3,
 * resolveCommitOutcome on.
 */
public final class EtlPoolBuilder {

    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    String name;
    String jdbcUrl;
    String username;
    String password;
    String driverClassName;
    CredentialsProvider credentialsProvider;
    final Properties driverProperties = new Properties();
    DataSource dataSource;
    int minSize = 1;
    int maxSize = 10;
    Duration connectionTimeout = Duration.ofSeconds(30);
    Duration idleTimeout = Duration.ofMinutes(10);
    Duration maxLifetime = Duration.ofMinutes(30);
    Duration keepaliveInterval = Duration.ofMinutes(2);
    Duration validationTimeout = Duration.ofSeconds(5);
    Duration validateAfterIdle = Duration.ofMillis(500);
    Duration initializationFailTimeout = Duration.ofSeconds(10);
    Duration leakDetectionThreshold = Duration.ZERO;
    Duration closeGracePeriod = Duration.ofSeconds(10);
    int maxWaiting;
    String initSql;
    boolean autoCommit = true;
    boolean readOnly;
    Integer transactionIsolation;
    String schema;
    int transactionAttempts = 3;
    Duration retryBackoff = Duration.ofMillis(100);
    boolean resolveCommitOutcome = true;
    boolean registerMBean = true;
    ResetMode resetOnReturn;
    PgBouncer pgbouncer = PgBouncer.NONE;
    private static final String NAMED_STATEMENTS_HINT = " (or, with PgBouncer 1.21+ and max_prepared_statements"
            + " above 0, use pgbouncer(PgBouncer.PREPARED_STATEMENTS))";
    final List<PoolListener> listeners = new ArrayList<>();

    EtlPoolBuilder() {
    }

    /**
     * The pool's name in messages, logs, thread names and JMX (default {@code etlpool-N}, unique in the
     * JVM). Its MBean is {@code io.etlpool:type=Pool,name=<name>}: while a pool of that name is open (with
     * its MBean), {@link #build()} refuses a second one with IllegalStateException.
     */
    public EtlPoolBuilder name(String name) {
        this.name = name;
        return this;
    }

    /** Where to connect, e.g. {@code jdbc:postgresql://localhost:5432/shop}. */
    public EtlPoolBuilder jdbcUrl(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
        return this;
    }

    /** The database user. */
    public EtlPoolBuilder username(String username) {
        this.username = username;
        return this;
    }

    /** The password; it is never printed, logged or put in an exception message. */
    public EtlPoolBuilder password(String password) {
        this.password = password;
        return this;
    }

    /**
     * The password of each new connection, asked for every time the pool opens one (for a rotating
     * password); the user is {@link #username(String)}. Instead of {@link #password(String)}.
     */
    public EtlPoolBuilder passwordSupplier(Supplier<String> passwordSupplier) {
        Objects.requireNonNull(passwordSupplier, "passwordSupplier");
        this.credentialsProvider = new SuppliedPassword(passwordSupplier);
        return this;
    }

    /**
     * User and password of each new connection, asked for every time the pool opens one (see
     * {@link CredentialsProvider}). Instead of {@link #username(String)} and {@link #password(String)}.
     */
    public EtlPoolBuilder credentialsProvider(CredentialsProvider credentialsProvider) {
        this.credentialsProvider = credentialsProvider;
        return this;
    }

    /**
     * The JDBC driver's class, loaded when the pool is built and used for the jdbcUrl; optional when the
     * driver registers itself with {@code DriverManager} (PgJDBC does).
     */
    public EtlPoolBuilder driverClassName(String driverClassName) {
        this.driverClassName = driverClassName;
        return this;
    }

    /** A driver property, e.g. {@code property("reWriteBatchedInserts", "true")}. */
    public EtlPoolBuilder property(String key, String value) {
        driverProperties.setProperty(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Connections from this DataSource instead of a JDBC URL (user and password go to it if set). */
    public EtlPoolBuilder dataSource(DataSource dataSource) {
        this.dataSource = dataSource;
        return this;
    }

    /** Connections kept open even when idle (psycopg2's minconn). */
    public EtlPoolBuilder minSize(int minSize) {
        this.minSize = minSize;
        return this;
    }

    /** The most connections the pool opens (psycopg2's maxconn). */
    public EtlPoolBuilder maxSize(int maxSize) {
        this.maxSize = maxSize;
        return this;
    }

    /** How long a borrower may wait for a connection; zero fails at once when none is idle. */
    public EtlPoolBuilder connectionTimeout(Duration connectionTimeout) {
        this.connectionTimeout = connectionTimeout;
        return this;
    }

    /** Idle connections above minSize close after this long; zero keeps them. */
    public EtlPoolBuilder idleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
        return this;
    }

    /**
     * Idle connections older than this (less up to 2.5% jitter, so they do not all retire at once) are
     * replaced; a borrowed connection is never taken away for age. Zero: no limit.
     */
    public EtlPoolBuilder maxLifetime(Duration maxLifetime) {
        this.maxLifetime = maxLifetime;
        return this;
    }

    /** Idle connections are validated in the background this often; zero: never. */
    public EtlPoolBuilder keepaliveInterval(Duration keepaliveInterval) {
        this.keepaliveInterval = keepaliveInterval;
        return this;
    }

    /** The longest a validation may take. */
    public EtlPoolBuilder validationTimeout(Duration validationTimeout) {
        this.validationTimeout = validationTimeout;
        return this;
    }

    /** A connection idle longer than this is validated before it is lent (default 500 ms). */
    public EtlPoolBuilder validateAfterIdle(Duration validateAfterIdle) {
        this.validateAfterIdle = validateAfterIdle;
        return this;
    }

    /**
     * How long {@link #build()} waits for a first working connection. Positive: retry until then and fail
     * with the last error (a refused login or an unknown database fails at once: retrying cannot help).
     * Zero: one attempt. Negative: do not wait; the pool starts empty and keeps trying in the background.
     */
    public EtlPoolBuilder initializationFailTimeout(Duration initializationFailTimeout) {
        this.initializationFailTimeout = initializationFailTimeout;
        return this;
    }

    /** Borrowers waiting at once, at most; one more fails at once. Zero: no bound. */
    public EtlPoolBuilder maxWaiting(int maxWaiting) {
        this.maxWaiting = maxWaiting;
        return this;
    }

    /**
     * A connection held this long with no database activity is reported once with its borrower's stack;
     * a connection busy with a long query, fetch or COPY is not. Zero: off.
     */
    public EtlPoolBuilder leakDetectionThreshold(Duration leakDetectionThreshold) {
        this.leakDetectionThreshold = leakDetectionThreshold;
        return this;
    }

    /** How long {@link EtlPool#close()} waits for borrowed connections to come back before closing them. */
    public EtlPoolBuilder closeGracePeriod(Duration closeGracePeriod) {
        this.closeGracePeriod = closeGracePeriod;
        return this;
    }

    /** SQL run on every new connection, e.g. {@code SET statement_timeout = 0}. */
    public EtlPoolBuilder initSql(String initSql) {
        this.initSql = initSql;
        return this;
    }

    /** Auto-commit of lent connections (default on); restored on return if a borrower changed it. */
    public EtlPoolBuilder autoCommit(boolean autoCommit) {
        this.autoCommit = autoCommit;
        return this;
    }

    /** Whether lent connections are read-only (default off). */
    public EtlPoolBuilder readOnly(boolean readOnly) {
        this.readOnly = readOnly;
        return this;
    }

    /** One of {@code Connection.TRANSACTION_*}; default: the server's. */
    public EtlPoolBuilder transactionIsolation(int level) {
        this.transactionIsolation = level;
        return this;
    }

    /** The schema lent connections start in. */
    public EtlPoolBuilder schema(String schema) {
        this.schema = schema;
        return this;
    }

    /** How often {@link EtlPool#inTransaction} runs work whose failure was transient (default 3, 1 = no retry). */
    public EtlPoolBuilder transactionAttempts(int transactionAttempts) {
        this.transactionAttempts = transactionAttempts;
        return this;
    }

    /** Pause before the first re-run of a transaction; it doubles each time (default 100 ms). */
    public EtlPoolBuilder retryBackoff(Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
        return this;
    }

    /**
     * Whether {@link EtlPool#inTransaction} finds out, when the connection is lost during COMMIT, if the
     * transaction committed (default on). On: the transaction's id is asked for just before COMMIT (one
     * round trip more per transaction that wrote; PostgreSQL only) and its status afterwards on a fresh
     * connection; committed means done, rolled back means run again. Off: a lost COMMIT always throws
     * {@link CommitOutcomeUnknownException}.
     */
    public EtlPoolBuilder resolveCommitOutcome(boolean resolveCommitOutcome) {
        this.resolveCommitOutcome = resolveCommitOutcome;
        return this;
    }

    /**
     * What is reset on a returned connection's server session (see {@link ResetMode}). Default
     * {@link ResetMode#AUTO}: a borrower that ran a {@code SET} leaves nothing behind for the next one, and
     * a return after ordinary SQL costs no round trip; with {@link #pgbouncer(boolean)} the default is
     * {@link ResetMode#NONE} and the others are refused.
     */
    public EtlPoolBuilder resetOnReturn(ResetMode resetOnReturn) {
        this.resetOnReturn = Objects.requireNonNull(resetOnReturn, "resetOnReturn");
        return this;
    }

    /**
     * The pool connects through PgBouncer in transaction pooling mode ({@code pool_mode = transaction}).
     * PgJDBC then uses no named server-side prepared statements ({@code prepareThreshold=0}): they live on
     * one server connection, and the next transaction may run on another (errors 42P05 "prepared
     * statement S_1 already exists" and 26000). Session state does not survive a transaction there, so
     * resetOnReturn is NONE and the other modes are refused; use {@code SET LOCAL} inside a transaction.
     * The same as {@code pgbouncer(PgBouncer.TRANSACTION_POOLING)} (true) or {@code PgBouncer.NONE} (false).
     */
    public EtlPoolBuilder pgbouncer(boolean pgbouncer) {
        return pgbouncer(pgbouncer ? PgBouncer.TRANSACTION_POOLING : PgBouncer.NONE);
    }

    /**
     * Through which kind of PgBouncer the pool connects (default {@link PgBouncer#NONE}):
     * {@link PgBouncer#TRANSACTION_POOLING} as {@link #pgbouncer(boolean) pgbouncer(true)};
     * {@link PgBouncer#PREPARED_STATEMENTS} for PgBouncer 1.21+ with {@code max_prepared_statements} above
     * 0, where PgJDBC keeps its server-side prepared statements (checked on the first connection).
     */
    public EtlPoolBuilder pgbouncer(PgBouncer mode) {
        this.pgbouncer = Objects.requireNonNull(mode, "pgbouncer");
        return this;
    }

    /** Register the pool's MBean (default on). */
    public EtlPoolBuilder registerMBean(boolean registerMBean) {
        this.registerMBean = registerMBean;
        return this;
    }

    /**
     * Adds a listener of the pool's events; call it again for more ({@link EtlPool#addListener} adds one
     * to a running pool). What a listener throws is caught and logged, never passed on.
     */
    public EtlPoolBuilder listener(PoolListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Applies settings from Properties: each key is a setting's name, as the methods of this builder spell
     * it ({@code maxSize}) or in kebab-case ({@code max-size}); {@code property.<name>} sets a driver
     * property. Durations are written {@code 30s}, {@code 500ms}, {@code 10m}, {@code 2h}, {@code PT30S} or
     * as plain milliseconds; transactionIsolation as {@code READ_COMMITTED} (or its number). An unknown key
     * is refused, naming the closest setting. {@link #build()} validates the values as it validates calls
     * of the methods. Settings applied later (by a method or another source) win.
     *
     * @throws IllegalArgumentException for an unknown key or a value that does not parse (a value is never
     *                                  echoed for the password)
     */
    public EtlPoolBuilder properties(Properties properties) {
        return properties(properties, "the properties");
    }

    /**
     * {@link #properties(Properties)} from a {@code .properties} file (ISO-8859-1 with escapes, as
     * {@link Properties#load(java.io.InputStream)} reads it).
     *
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public EtlPoolBuilder properties(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pool settings from " + file + ": " + e.getMessage(), e);
        }
        return properties(p, file.toString());
    }

    /**
     * Applies settings from the process environment: each variable named {@code <prefix>_<SETTING>},
     * the setting's name in upper snake case ({@code ETLPOOL_MAX_SIZE=20} with prefix {@code ETLPOOL}
     * sets maxSize); values as for {@link #properties(Properties)}. A variable with the prefix that names
     * no setting is refused. Driver properties cannot be set this way (their names are case-sensitive):
     * use the jdbcUrl's parameters.
     */
    public EtlPoolBuilder environment(String prefix) {
        return environment(prefix, System.getenv());
    }

    /** {@link #environment(String)} from the given variables instead of the process's. */
    public EtlPoolBuilder environment(String prefix, Map<String, String> variables) {
        String p = prefix.endsWith("_") ? prefix : prefix + "_";
        for (Map.Entry<String, String> v : new TreeMap<>(variables).entrySet()) {
            if (v.getKey().regionMatches(true, 0, p, 0, p.length()) && v.getKey().length() > p.length()) {
                String key = v.getKey().substring(p.length());
                if (key.regionMatches(true, 0, "PROPERTY_", 0, "PROPERTY_".length())) {
                    throw new IllegalArgumentException(v.getKey() + " in the environment: driver properties cannot be set"
                            + " from the environment (their names are case-sensitive); put them in the jdbcUrl");
                }
                Settings.apply(this, key, v.getValue(), "the environment (" + v.getKey() + ")");
            }
        }
        return this;
    }

    private EtlPoolBuilder properties(Properties properties, String origin) {
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            Settings.apply(this, key, properties.getProperty(key), origin);
        }
        return this;
    }

    /** Validates the settings, starts the pool and (see initializationFailTimeout) waits for a first connection. */
    public EtlPool build() throws SQLException {
        PoolConfig config = validate();
        return new EtlPool(new Pool(config, password));
    }

    PoolConfig validate() {
        if ((jdbcUrl == null) == (dataSource == null)) {
            throw new IllegalArgumentException(jdbcUrl == null
                    ? "no jdbcUrl and no dataSource: set one, e.g. jdbcUrl(\"jdbc:postgresql://localhost:5432/mydb\")"
                    : "both jdbcUrl and dataSource are set: set only one");
        }
        if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("jdbcUrl (" + Urls.mask(jdbcUrl)
                    + ") is not a JDBC URL: it must start with jdbc:, e.g. jdbc:postgresql://localhost:5432/mydb");
        }
        if (credentialsProvider != null && password != null) {
            throw new IllegalArgumentException("both a password and a " + (credentialsProvider instanceof SuppliedPassword
                    ? "passwordSupplier" : "credentialsProvider") + " are set: set only one");
        }
        if (credentialsProvider != null && username != null && !(credentialsProvider instanceof SuppliedPassword)) {
            throw new IllegalArgumentException("both a username and a credentialsProvider are set: the provider gives"
                    + " the user; set only one (or use passwordSupplier with username)");
        }
        if (pgbouncer != PgBouncer.NONE && resetOnReturn != null && resetOnReturn != ResetMode.NONE) {
            throw new IllegalArgumentException("resetOnReturn (" + resetOnReturn + ") does not work with pgbouncer("
                    + bouncerSetting() + "): in transaction pooling the next transaction may run on another server"
                    + " connection, so session state cannot be reset; leave resetOnReturn unset (NONE) and use SET LOCAL"
                    + " in transactions");
        }
        if (pgbouncer == PgBouncer.TRANSACTION_POOLING) {
            String threshold = driverProperties.getProperty("prepareThreshold");
            if (threshold != null && !threshold.trim().equals("0")) {
                throw new IllegalArgumentException("property prepareThreshold (" + threshold + ") does not work with"
                        + " pgbouncer(true): named server-side statements break under transaction pooling; remove it"
                        + NAMED_STATEMENTS_HINT);
            }
            if (jdbcUrl != null && jdbcUrl.matches("(?i).*[?&;]prepareThreshold=(?!0(&|$)).*")) {
                throw new IllegalArgumentException("the jdbcUrl's prepareThreshold does not work with pgbouncer(true):"
                        + " named server-side statements break under transaction pooling; remove it" + NAMED_STATEMENTS_HINT);
            }
        }
        if (driverClassName != null && dataSource != null) {
            throw new IllegalArgumentException("driverClassName (" + driverClassName
                    + ") is set with a dataSource: the dataSource opens the connections; set only one");
        }
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize (" + maxSize + ") must be at least 1");
        }
        if (minSize < 0) {
            throw new IllegalArgumentException("minSize (" + minSize + ") must not be negative");
        }
        if (minSize > maxSize) {
            throw new IllegalArgumentException("minSize (" + minSize + ") must not exceed maxSize (" + maxSize + ")");
        }
        if (maxWaiting < 0) {
            throw new IllegalArgumentException("maxWaiting (" + maxWaiting + ") must not be negative (0 = no bound)");
        }
        if (transactionAttempts < 1) {
            throw new IllegalArgumentException("transactionAttempts (" + transactionAttempts + ") must be at least 1");
        }
        if (transactionIsolation != null && !validIsolation(transactionIsolation)) {
            throw new IllegalArgumentException("transactionIsolation (" + transactionIsolation
                    + ") is not one of the Connection.TRANSACTION_* levels");
        }
        notNegative("connectionTimeout", connectionTimeout);
        notNegative("idleTimeout", idleTimeout);
        notNegative("maxLifetime", maxLifetime);
        notNegative("keepaliveInterval", keepaliveInterval);
        notNegative("validateAfterIdle", validateAfterIdle);
        notNegative("leakDetectionThreshold", leakDetectionThreshold);
        notNegative("closeGracePeriod", closeGracePeriod);
        notNegative("retryBackoff", retryBackoff);
        Objects.requireNonNull(initializationFailTimeout, "initializationFailTimeout");
        notNegative("validationTimeout", validationTimeout);
        if (validationTimeout.isZero()) {
            throw new IllegalArgumentException("validationTimeout (0) must be positive, e.g. Duration.ofSeconds(5)");
        }
        String poolName = name != null && !name.isBlank() ? name : "etlpool-" + POOL_NUMBER.incrementAndGet();
        return new PoolConfig(this, poolName);
    }

    /** passwordSupplier: no user of its own (the pool's username is used), a supplied password. */
    private static final class SuppliedPassword implements CredentialsProvider {
        private final Supplier<String> password;

        SuppliedPassword(Supplier<String> password) {
            this.password = password;
        }

        @Override
        public Credentials credentials() {
            return new Credentials(null, password.get());
        }
    }

    private static boolean validIsolation(int level) {
        return level == Connection.TRANSACTION_NONE || level == Connection.TRANSACTION_READ_UNCOMMITTED
                || level == Connection.TRANSACTION_READ_COMMITTED || level == Connection.TRANSACTION_REPEATABLE_READ
                || level == Connection.TRANSACTION_SERIALIZABLE;
    }

    private static void notNegative(String setting, Duration value) {
        if (value == null) {
            throw new IllegalArgumentException(setting + " must not be null");
        }
        if (value.isNegative()) {
            throw new IllegalArgumentException(setting + " (" + value + ") must not be negative");
        }
    }

    /** How the user wrote the PgBouncer setting, for messages. */
    private String bouncerSetting() {
        return pgbouncer == PgBouncer.TRANSACTION_POOLING ? "true" : "PgBouncer." + pgbouncer;
    }
}
