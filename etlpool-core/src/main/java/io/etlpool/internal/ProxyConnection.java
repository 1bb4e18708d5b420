package io.etlpool.internal;

import io.etlpool.ResetMode;
import io.etlpool.internal.jdbc.DelegatingConnection;
import io.etlpool.internal.jdbc.PooledResultSet;
import io.etlpool.internal.jdbc.StatementHooks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.Executor;

/**
 * The connection a borrower holds. {@code close()} gives it back; afterwards every use fails. It keeps
 * what the borrower changed, so the return path resets only that, and the statements it opened, so
 * they are closed on return.
 */
public final class ProxyConnection extends DelegatingConnection implements StatementHooks {

    private static final int AUTOCOMMIT = 1;
    private static final int READ_ONLY = 2;
    private static final int ISOLATION = 4;
    private static final int CATALOG = 8;
    private static final int SCHEMA = 16;
    private static final int NETWORK_TIMEOUT = 32;
    private static final Executor DIRECT = Runnable::run;
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(ProxyConnection.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Pool pool;
    final PoolEntry entry;
    /** Statements the borrower opened and has not closed; allocated on the first one. */
    private Statement[] statements;
    private int statementCount;
    private int changed;
    /** resetOnReturn AUTO: the most that the borrower's SQL changed in the session (see SessionSql). */
    private int sessionChange;
    private final boolean watchSql;
    private boolean autoCommit;
    /** Set once, by compare-and-set: of two threads closing it at once, only one gives it back. */
    private volatile boolean closed;

    ProxyConnection(Pool pool, PoolEntry entry) {
        super(entry.raw);
        this.pool = pool;
        this.entry = entry;
        this.autoCommit = entry.defaults.autoCommit;
        this.watchSql = pool.config().resetOnReturn() == ResetMode.AUTO;
    }

    /** Whether this connection was lent by the given pool. */
    public boolean belongsTo(Pool other) {
        return pool == other;
    }

    // ---- hooks of the generated wrappers

    @Override
    public SQLException checkException(SQLException e) {
        return pool.checkException(entry, e);
    }

    @Override
    public void sql(String sql) {
        if (watchSql && sessionChange < SessionSql.SESSION) {
            sessionChange = Math.max(sessionChange, SessionSql.classify(sql));
        }
    }

    @Override
    public void touch() {
        entry.activity++;
    }

    @Override
    public ResultSet wrap(Statement statement, ResultSet resultSet) {
        return resultSet == null ? null : new PooledResultSet(this, statement, resultSet);
    }

    @Override
    public Connection connection() {
        return this;
    }

    @Override
    public void closed(Statement statement) {
        for (int i = statementCount - 1; i >= 0; i--) {
            if (statements[i] == statement) {
                int tail = statementCount - i - 1;
                if (tail > 0) {
                    System.arraycopy(statements, i + 1, statements, i, tail);
                }
                statements[--statementCount] = null;
                return;
            }
        }
    }

    @Override
    protected StatementHooks hooks() {
        return this;
    }

    @Override
    protected <T extends Statement> T track(T statement) {
        if (statements == null) {
            statements = new Statement[8];
        } else if (statementCount == statements.length) {
            statements = Arrays.copyOf(statements, statementCount * 2);
        }
        statements[statementCount++] = statement;
        return statement;
    }

    // ---- session state: remember what the borrower changed

    @Override
    public void setAutoCommit(boolean value) throws SQLException {
        super.setAutoCommit(value);
        autoCommit = value;
        changed |= AUTOCOMMIT;
    }

    @Override
    public void setReadOnly(boolean value) throws SQLException {
        super.setReadOnly(value);
        changed |= READ_ONLY;
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        captureDefault(ISOLATION);
        super.setTransactionIsolation(level);
        changed |= ISOLATION;
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        captureDefault(CATALOG);
        super.setCatalog(catalog);
        changed |= CATALOG;
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        captureDefault(SCHEMA);
        super.setSchema(schema);
        changed |= SCHEMA;
    }

    /** Reads the connection's default of a setting before the borrower first changes it (see ConnectionDefaults). */
    private void captureDefault(int setting) throws SQLException {
        if (closed) {
            return; // the change itself fails on the closed connection; the raw one is someone else's now
        }
        try {
            ConnectionDefaults d = entry.defaults;
            if (setting == ISOLATION) {
                d.captureIsolation(entry.raw);
            } else if (setting == CATALOG) {
                d.captureCatalog(entry.raw);
            } else {
                d.captureSchema(entry.raw);
            }
        } catch (SQLException e) {
            throw checkException(e);
        }
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        super.setNetworkTimeout(executor, milliseconds);
        changed |= NETWORK_TIMEOUT;
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        entry.broken = true;
        super.abort(executor);
    }

    // ---- giving back

    @Override
    public void close() throws SQLException {
        if (closed || !CLOSED.compareAndSet(this, false, true)) {
            return; // a second close is harmless
        }
        delegate = ClosedConnection.INSTANCE;
        pool.giveBack(this);
    }

    /** Whether it was given back (unlike isClosed(), not true merely because the physical connection died). */
    public boolean returned() {
        return closed;
    }

    @Override
    public boolean isClosed() throws SQLException {
        return closed || delegate.isClosed();
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        return !closed && super.isValid(timeout);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return super.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || super.isWrapperFor(iface);
    }

    /**
     * Makes the physical connection clean for the next borrower: statements closed, an open transaction
     * rolled back, changed settings restored, warnings cleared. False when any of it failed.
     */
    boolean reset() {
        Connection raw = entry.raw;
        try {
            for (int i = statementCount - 1; i >= 0; i--) {
                statements[i].close();
            }
            statementCount = 0;
            ConnectionDefaults d = entry.defaults;
            if (!autoCommit) {
                raw.rollback(); // PgJDBC sends nothing when no transaction is open
            }
            if (changed != 0) {
                if ((changed & AUTOCOMMIT) != 0 && autoCommit != d.autoCommit) {
                    raw.setAutoCommit(d.autoCommit);
                }
                if ((changed & READ_ONLY) != 0) {
                    raw.setReadOnly(d.readOnly);
                }
                if ((changed & ISOLATION) != 0) {
                    d.restoreIsolation(raw);
                }
                if ((changed & CATALOG) != 0) {
                    d.restoreCatalog(raw);
                }
                if ((changed & SCHEMA) != 0) {
                    d.restoreSchema(raw);
                }
                if ((changed & NETWORK_TIMEOUT) != 0 && d.networkTimeoutMs >= 0) {
                    raw.setNetworkTimeout(DIRECT, d.networkTimeoutMs);
                }
            }
            int reset = sessionReset();
            if (reset != SessionSql.CLEAN) {
                resetSession(raw, reset);
            }
            SQLWarning w = raw.getWarnings();
            if (w != null) {
                raw.clearWarnings();
            }
            return !raw.isClosed();
        } catch (SQLException | RuntimeException e) {
            if (e instanceof SQLException) {
                pool.checkException(entry, (SQLException) e);
            }
            return false;
        }
    }

    private int sessionReset() {
        switch (pool.config().resetOnReturn()) {
            case RESET_ALL:
                return SessionSql.SETTINGS;
            case DISCARD_ALL:
                return SessionSql.SESSION;
            case AUTO:
                return sessionChange;
            default:
                return SessionSql.CLEAN;
        }
    }

    /** RESET ALL or DISCARD ALL, then the pool's own session settings again. */
    private void resetSession(Connection raw, int reset) throws SQLException {
        if (entry.driverSetsBySql) {
            entry.retireOnReturn = true; // replaced, not reset: the reset would undo the driver's own SETs
            sessionChange = SessionSql.CLEAN;
            return;
        }
        boolean ac = raw.getAutoCommit();
        if (!ac) {
            raw.setAutoCommit(true); // DISCARD ALL cannot run in a transaction block (and no transaction is open now)
        }
        try (Statement s = raw.createStatement()) {
            s.execute(reset == SessionSql.SESSION ? "DISCARD ALL" : "RESET ALL");
        }
        if (!ac) {
            raw.setAutoCommit(false);
        }
        ConnectionFactory.applySessionSettings(raw, pool.config());
        sessionChange = SessionSql.CLEAN;
    }

    @Override
    public String toString() {
        return "pooled connection of " + pool.name() + (closed ? " (returned)" : " -> " + entry.raw);
    }
}
