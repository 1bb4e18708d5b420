package io.etlpool.testing.stub;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A statement whose executions succeed at once. */
public final class StubStatement extends StubStatementBase {

    private final StubConnection connection;
    private boolean closed;

    StubStatement(StubConnection connection) {
        this.connection = connection;
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        connection.execute();
        return false;
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        connection.execute();
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
