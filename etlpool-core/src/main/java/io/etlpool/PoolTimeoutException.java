package io.etlpool;

import java.sql.SQLTransientConnectionException;

/**
 * No connection could be lent within connectionTimeout. {@link #reason()} says why: the pool was
 * exhausted, or it could not open connections (database unreachable, login refused, server full). The
 * last connect error, when there is one, is the cause and its SQLState is this exception's.
 */
public class PoolTimeoutException extends SQLTransientConnectionException {

    private static final long serialVersionUID = 1L;

    /** Why no connection was available. */
    public enum Reason {
        /** Every connection was in use and the pool was at maxSize. */
        POOL_EXHAUSTED,
        /** The pool could not open connections: the server did not answer or refused the connection. */
        DATABASE_UNREACHABLE,
        /** The server refused the login (wrong password, unknown user or database). */
        LOGIN_FAILED,
        /** The server has no free connection slots (SQLState 53300). */
        SERVER_FULL,
        /** Connections were being opened, but none was ready within connectionTimeout. */
        SLOW_CONNECT,
        /** The pool was suspended (through JMX) for longer than connectionTimeout. */
        SUSPENDED,
        /** Too many borrowers were already waiting (maxWaiting). */
        TOO_MANY_WAITING,
        /**
         * The pool was below maxSize, yet no connection was free and none was being opened: the
         * connections found failed validation and were discarded when the deadline had passed.
         */
        NONE_VALID
    }

    private final Reason reason;

    /** The error, with why no connection was lent, its SQLState and the last connect failure if any. */
    public PoolTimeoutException(String message, Reason reason, String sqlState, Throwable cause) {
        super(message, sqlState, cause);
        this.reason = reason;
    }

    /** Why no connection was lent in time. */
    public Reason reason() {
        return reason;
    }
}
