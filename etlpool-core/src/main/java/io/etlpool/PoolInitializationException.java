package io.etlpool;

import java.sql.SQLNonTransientConnectionException;

/**
 * {@link EtlPoolBuilder#build()} got no working connection within initializationFailTimeout. The
 * message names the cause and the fix; the driver's error is the cause, its SQLState kept.
 */
public class PoolInitializationException extends SQLNonTransientConnectionException {

    private static final long serialVersionUID = 1L;

    /** The error, with the SQLState of the last connect failure and that failure. */
    public PoolInitializationException(String message, String sqlState, Throwable cause) {
        super(message, sqlState, cause);
    }
}
