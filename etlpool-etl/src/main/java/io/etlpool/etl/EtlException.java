package io.etlpool.etl;

import java.sql.SQLException;

/**
 * A job stopped. The message names the job, the partition and its key range and, for a data error, the
 * failing row's key; never a row's values. The database's error is the cause, its SQLState kept.
 */
public class EtlException extends SQLException {

    private static final long serialVersionUID = 1L;

    /** The error, with what failed and the database error behind it. */
    public EtlException(String message, SQLException cause) {
        super(message, cause == null ? null : cause.getSQLState(), cause);
    }

    /** The error, with what is wrong and what to do. */
    public EtlException(String message) {
        super(message);
    }
}
