package io.etlpool;

import java.sql.SQLNonTransientConnectionException;

/** The pool is closed (or closing): it lends nothing any more. SQLState 08003. */
public class PoolClosedException extends SQLNonTransientConnectionException {

    private static final long serialVersionUID = 1L;

    /** The error, with what was refused and why. */
    public PoolClosedException(String message) {
        super(message, "08003");
    }
}
