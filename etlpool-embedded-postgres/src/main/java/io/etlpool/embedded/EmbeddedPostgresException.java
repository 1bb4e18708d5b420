package io.etlpool.embedded;

/** The embedded server could not be set up, started, stopped or queried. */
public class EmbeddedPostgresException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The error, with what failed and what to do. */
    public EmbeddedPostgresException(String message) {
        super(message);
    }

    /** The error, with what failed, what to do, and its cause. */
    public EmbeddedPostgresException(String message, Throwable cause) {
        super(message, cause);
    }
}
