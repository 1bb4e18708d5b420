package io.etlpool.bench.stub;

import java.sql.Connection;
import java.sql.ResultSet;

/** A prepared statement whose executions succeed at once. */
public final class StubPreparedStatement extends StubPreparedStatementBase {

    private final Connection connection;
    private boolean closed;

    StubPreparedStatement(Connection connection) {
        this.connection = connection;
    }

    @Override
    public boolean execute() {
        return false;
    }

    @Override
    public ResultSet executeQuery() {
        return new StubResultSet();
    }

    @Override
    public int executeUpdate() {
        return 1;
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
