package io.etlpool;

import io.etlpool.internal.Pool;
import io.etlpool.internal.ProxyConnection;
import io.etlpool.internal.TransactionRunner;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A pool of PostgreSQL (or any JDBC) connections for concurrent ETL tasks.
 *
 * <pre>{@code
 * try (EtlPool pool = EtlPool.builder()
 *         .jdbcUrl("jdbc:postgresql://localhost:5432/shop")
 *         .username("etl").password(secret)
 *         .minSize(1).maxSize(10)
 *         .build()) {
 *     List<Row> rows = pool.query("SELECT id, name FROM customers WHERE region = ?", "EU");
 *     try (Connection c = pool.getConnection()) { ... }   // close() gives it back
 * }
 * }</pre>
 *
 * It is a {@link DataSource}, so JDBC tools use it unchanged; {@code unwrap(PGConnection.class)} on a
 * lent connection reaches the driver's own API (COPY). Borrowers wait first-come-first-served up to
 * connectionTimeout; connections are opened in the background, validated before lending when idle for
 * a while, cleaned on return, and replaced when broken.
 */
public final class EtlPool implements DataSource, AutoCloseable {

    private final Pool pool;
    private final long connectionTimeoutNanos;
    private final TransactionRunner transactions;
    private final DataSourcePlumbing plumbing = new DataSourcePlumbing();

    EtlPool(Pool pool) {
        this.pool = pool;
        this.connectionTimeoutNanos = pool.config().connectionTimeout().toNanos();
        this.transactions = new TransactionRunner(pool);
    }

    /** Settings for a new pool. */
    public static EtlPoolBuilder builder() {
        return new EtlPoolBuilder();
    }

    /**
     * A connection, waiting up to connectionTimeout (first come, first served). Its {@code close()} gives
     * it back to the pool, clean.
     *
     * @throws PoolTimeoutException when none came in time; its message says whether the pool was
     *                              exhausted or the database could not be reached
     * @throws PoolClosedException  when the pool is closed
     */
    @Override
    public Connection getConnection() throws SQLException {
        return pool.borrow(connectionTimeoutNanos);
    }

    /** Not supported: a pool's connections all use the pool's credentials. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("a pool lends connections with its own credentials: use getConnection()");
    }

    /**
     * n connections at once, all or none, waiting fairly with single borrowers: an ETL task that needs a
     * source and a target connection cannot deadlock with its siblings this way.
     *
     * @throws IllegalArgumentException when n is below 1 or above maxSize (it could never be served)
     */
    public Lease acquire(int n) throws SQLException {
        int max = pool.maxSize();
        if (n < 1 || n > max) {
            throw new IllegalArgumentException("acquire(" + n + ") on " + pool.name() + ": n must be between 1 and maxSize ("
                    + max + "); more than maxSize could never be served");
        }
        return new Lease(pool.borrowMany(n, connectionTimeoutNanos));
    }

    /**
     * Runs a query with bound parameters and returns all its rows, fully read; the connection goes back
     * before this returns (psycopg2's {@code execute_query()}).
     */
    public List<Row> query(String sql, Object... params) throws SQLException {
        try (Connection c = getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return readAll(rs);
            }
        }
    }

    /** Runs an INSERT, UPDATE, DELETE or DDL statement with bound parameters; returns the update count. */
    public long execute(String sql, Object... params) throws SQLException {
        try (Connection c = getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeLargeUpdate();
        }
    }

    /**
     * Runs work in one transaction: commit when it returns, roll back when it throws. When the failure
     * was transient (the connection was lost, a serialization failure, a deadlock) the work runs again on
     * a fresh connection, up to transactionAttempts times with doubling backoff. A data error (constraint,
     * syntax, ...) is thrown at once. The work must not commit or roll back itself.
     *
     * <p>When the connection is lost during {@code commit()} itself, the pool asks the server on a fresh
     * connection whether the transaction committed (its id is recorded just before COMMIT, one round
     * trip; see {@link EtlPoolBuilder#resolveCommitOutcome(boolean)}): committed, this returns normally
     * and the work is not run again; rolled back (or the transaction wrote nothing), the work runs again.
     *
     * @throws CommitOutcomeUnknownException when the connection was lost during COMMIT and the outcome
     *                                       could not be found out; the work was not run again
     */
    public <T> T inTransaction(SqlFunction<T> work) throws SQLException {
        return transactions.run(work);
    }

    /** {@link #inTransaction(SqlFunction)} for work that returns nothing. */
    public void useTransaction(SqlConsumer work) throws SQLException {
        inTransaction(c -> {
            work.accept(c);
            return null;
        });
    }

    /**
     * Closes a lent connection instead of giving it back for reuse (psycopg2's
     * {@code putconn(conn, close=True)}); the pool opens a replacement if needed.
     *
     * @throws IllegalArgumentException when the connection is not one this pool lent
     * @throws IllegalStateException    when it was already given back
     */
    public void evict(Connection connection) throws SQLException {
        ProxyConnection proxy = connection instanceof ProxyConnection ? (ProxyConnection) connection : null;
        if (proxy == null || !proxy.belongsTo(pool)) {
            throw new IllegalArgumentException("evict: this connection was not lent by pool " + pool.name());
        }
        if (proxy.returned()) { // not isClosed(): a connection whose server went away is closed, and must be evictable
            throw new IllegalStateException("evict: this connection was already given back to pool " + pool.name()
                    + "; evict it before closing it");
        }
        pool.evict(proxy);
        proxy.close();
    }

    /**
     * Adds a listener of this pool's events, from the next event on. What it throws is caught and logged
     * (see {@link PoolListener}); it never reaches the pool or a borrower.
     */
    public void addListener(PoolListener listener) {
        pool.addListener(java.util.Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener added to this pool (compared by identity); false if it was not one of them. */
    public boolean removeListener(PoolListener listener) {
        return pool.removeListener(listener);
    }

    /** Changes minSize and maxSize while running: growth starts at once, shrinking as connections go idle. */
    public void resize(int minSize, int maxSize) {
        pool.resize(minSize, maxSize);
    }

    /**
     * Closes the idle connections now and the lent ones when they come back; the pool opens new ones as
     * borrowers and minSize need them (after a failover, a password rotation, a changed server setting).
     */
    public void softEvictConnections() {
        pool.softEvict();
    }

    /**
     * Stops lending: borrowers wait, each up to connectionTimeout (then {@link PoolTimeoutException} with
     * reason SUSPENDED), until {@link #resume()}. Lent connections are not affected. For a planned
     * failover or maintenance window.
     */
    public void suspend() {
        pool.suspend();
    }

    /** Lends again after {@link #suspend()}; waiting borrowers are served. */
    public void resume() {
        pool.resume();
    }

    /** Whether the pool is suspended. */
    public boolean isSuspended() {
        return pool.suspended();
    }

    /** Sizes now and totals since start. */
    public PoolStats stats() {
        return pool.stats();
    }

    /** The settings the pool runs with (the password is never shown). */
    public PoolConfig config() {
        return pool.config();
    }

    /** The pool's name (in messages, logs, thread names, meters and JMX). */
    public String name() {
        return pool.name();
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return pool.closing();
    }

    /**
     * Stops lending (waiting borrowers fail at once with {@link PoolClosedException}), stops the
     * background threads, closes idle connections, waits up to closeGracePeriod for borrowed ones to come
     * back, then closes those too. It always completes, whatever a listener or the driver throws; an
     * interrupt of the calling thread does not shorten it and stays set. A second call returns once the
     * first has completed.
     */
    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "EtlPool[" + pool.stats() + "]";
    }

    // ---- DataSource plumbing

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
        return DataSourcePlumbing.loginTimeout(pool.config().connectionTimeout());
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return DataSourcePlumbing.parentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("EtlPool does not wrap a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    // ---- helpers

    private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    private static List<Row> readAll(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> columns = new ArrayList<>(n);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 1; i <= n; i++) {
            String label = md.getColumnLabel(i);
            columns.add(label);
            index.putIfAbsent(label.toLowerCase(Locale.ROOT), i - 1);
        }
        List<String> fixedColumns = Collections.unmodifiableList(columns);
        List<Row> rows = new ArrayList<>();
        while (rs.next()) {
            Object[] values = new Object[n];
            for (int i = 0; i < n; i++) {
                values[i] = rs.getObject(i + 1);
            }
            rows.add(new Row(fixedColumns, index, values));
        }
        return Collections.unmodifiableList(rows);
    }
}
