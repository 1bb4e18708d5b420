package io.etlpool.bench.stub;

import java.sql.Connection;
import java.sql.ResultSet;

/** A statement whose executions succeed at once. */
public final class StubStatement extends StubStatementBase {

    private final Connection connection;
    private boolean closed;

    StubStatement(Connection connection) {
        this.connection = connection;
    }

    @Override
    public boolean execute(String sql) {
        return false;
    }

    @Override
    public ResultSet executeQuery(String sql) {
        return new StubResultSet();
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
