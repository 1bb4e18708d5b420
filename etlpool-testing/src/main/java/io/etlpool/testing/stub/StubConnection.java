package io.etlpool.testing.stub;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.util.concurrent.Executor;

/**
 * A connection that keeps its settings in fields and talks to nobody. Its {@link StubDatabase} decides
 * whether a call fails or blocks; {@link #die()} makes it behave like one whose server went away.
 */
public final class StubConnection extends StubConnectionBase {

    private final StubDatabase database;
    private volatile boolean dead;

    private boolean autoCommit = true;
    private boolean readOnly;
    private int isolation = Connection.TRANSACTION_READ_COMMITTED;
    private String catalog;
    private String schema = "public";
    private int networkTimeout;
    private volatile boolean closed;

    StubConnection(StubDatabase database) {
        this.database = database;
    }

    /**
     * From now on statements fail with SQLState 08006, {@code isValid} answers false and
     * {@code isClosed} true, as PgJDBC does once it has seen its socket closed.
     */
    public void die() {
        dead = true;
    }

    /** Whether this connection was closed by its user (the pool), not just dead. */
    public boolean closedByUser() {
        return closed;
    }

    /** A statement's execution: fails when dead, else does what the database says. */
    void execute() throws SQLException {
        if (dead) {
            throw new SQLNonTransientConnectionException("stub: an I/O error occurred while sending to the backend",
                    "08006");
        }
        database.check(StubDatabase.Call.EXECUTE, networkTimeout);
    }

    @Override
    public Statement createStatement() {
        return new StubStatement(this);
    }

    @Override
    public PreparedStatement prepareStatement(String sql) {
        return new StubPreparedStatement(this);
    }

    @Override
    public boolean getAutoCommit() {
        return autoCommit;
    }

    @Override
    public void setAutoCommit(boolean autoCommit) {
        this.autoCommit = autoCommit;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public void setReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
    }

    @Override
    public int getTransactionIsolation() {
        return isolation;
    }

    @Override
    public void setTransactionIsolation(int level) {
        this.isolation = level;
    }

    @Override
    public String getCatalog() {
        return catalog;
    }

    @Override
    public void setCatalog(String catalog) {
        this.catalog = catalog;
    }

    @Override
    public String getSchema() {
        return schema;
    }

    @Override
    public void setSchema(String schema) {
        this.schema = schema;
    }

    @Override
    public int getNetworkTimeout() {
        return networkTimeout;
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) {
        this.networkTimeout = milliseconds;
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        if (closed) {
            return false;
        }
        database.check(StubDatabase.Call.IS_VALID, networkTimeout > 0 ? networkTimeout : timeout * 1000);
        return !dead && database.valid();
    }

    @Override
    public boolean isClosed() {
        return closed || dead;
    }

    @Override
    public void rollback() throws SQLException {
        database.check(StubDatabase.Call.ROLLBACK, networkTimeout);
    }

    @Override
    public void close() throws SQLException {
        if (!closed) {
            closed = true;
            database.closed(this);
        }
        database.check(StubDatabase.Call.CLOSE, 0);
    }
}
