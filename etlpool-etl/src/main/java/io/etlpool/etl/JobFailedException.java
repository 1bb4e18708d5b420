package io.etlpool.etl;

import java.sql.SQLException;

/**
 * A run failed. Besides the error (message, SQLState and cause as in {@link EtlException}), it carries what
 * the run did before it stopped: {@link #result()} counts the rows it committed, which stay committed; run
 * the job again to resume.
 */
public class JobFailedException extends EtlException {

    private static final long serialVersionUID = 1L;

    private final transient JobResult result;

    public JobFailedException(String message, SQLException cause, JobResult result) {
        super(message, cause);
        this.result = result;
    }

    /** The run's figures up to the failure; {@link JobResult#error()} holds the message. */
    public JobResult result() {
        return result;
    }
}
