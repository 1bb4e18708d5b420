package io.etlpool.internal;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/** What an SQLException says about the connection it came from, and about retrying. */
public final class SqlStates {

    private SqlStates() {
    }

    /**
     * The connection is gone or unusable: class 08 (connection exception), 57P01-57P03 (admin or crash
     * shutdown, cannot connect now), 57P05 (idle session timeout), 25P03 (idle-in-transaction timeout,
     * after which the server closes the session); also JDBC's connection-exception subclasses.
     */
    public static boolean isConnectionLoss(SQLException e) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException
                    || t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException) {
                String state = ((SQLException) t).getSQLState();
                if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                        || state.equals("57P03") || state.equals("57P05") || state.equals("25P03"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Worth running the whole transaction again: a lost connection, a serialization failure or a deadlock. */
    public static boolean isRetryable(SQLException e) {
        if (isConnectionLoss(e)) {
            return true;
        }
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof SQLException) {
                String state = ((SQLException) t).getSQLState();
                if ("40001".equals(state) || "40P01".equals(state)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The SQLState of the error or the first one in its chain that has one. */
    public static String stateOf(Throwable e) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof SQLException && ((SQLException) t).getSQLState() != null) {
                return ((SQLException) t).getSQLState();
            }
        }
        return null;
    }

    private static Throwable next(Throwable t) {
        if (t instanceof SQLException && ((SQLException) t).getNextException() != null) {
            return ((SQLException) t).getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }
}
