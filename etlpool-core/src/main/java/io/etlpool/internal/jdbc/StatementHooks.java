package io.etlpool.internal.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** What pooled statements and result sets report to the pooled connection that made them. */
public interface StatementHooks {

    /** Sees every SQLException (to notice a lost connection); returns what to throw. */
    SQLException checkException(SQLException e);

    /** SQL text about to be prepared, executed or batched (a cheap look at it only: this is on every call). */
    void sql(String sql);

    /** The database is being used: an execution or a fetch. */
    void touch();

    /** Wraps a result set the statement returned (null stays null). */
    ResultSet wrap(Statement statement, ResultSet resultSet);

    /** The pooled connection, for {@code Statement.getConnection()}. */
    Connection connection();

    /** The statement was closed by its user. */
    void closed(Statement statement);
}
