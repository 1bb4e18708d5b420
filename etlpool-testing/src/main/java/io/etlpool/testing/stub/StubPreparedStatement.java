package io.etlpool.testing.stub;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A prepared statement whose executions succeed at once. */
public final class StubPreparedStatement extends StubPreparedStatementBase {

    private final StubConnection connection;
    private boolean closed;

    StubPreparedStatement(StubConnection connection) {
        this.connection = connection;
    }

    @Override
    public boolean execute() throws SQLException {
        connection.execute();
        return false;
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        connection.execute();
        return new StubResultSet();
    }

    @Override
    public int executeUpdate() throws SQLException {
        connection.execute();
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
