package io.etlpool;

import io.etlpool.internal.SqlStates;

import java.sql.SQLException;

/** What an {@link SQLException} means for the connection it came from and for retrying the work. */
public final class SqlErrors {

    private SqlErrors() {
    }

    /** The connection is gone or unusable (SQLState class 08, 57P01-57P03, 57P05, 25P03, ...). */
    public static boolean isConnectionLoss(SQLException e) {
        return SqlStates.isConnectionLoss(e);
    }

    /** Worth running again on a fresh connection: a lost connection, a serialization failure or a deadlock. */
    public static boolean isRetryable(SQLException e) {
        return SqlStates.isRetryable(e);
    }

    /** The first SQLState in the error's chain, or null. */
    public static String sqlState(SQLException e) {
        return SqlStates.stateOf(e);
    }
}
