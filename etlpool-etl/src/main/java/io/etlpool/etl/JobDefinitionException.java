package io.etlpool.etl;

/**
 * The job cannot run as defined, found when it looks at the source or target and before any row moves:
 * e.g. an incremental cursor that may be NULL or whose type has no order. The message says what to change;
 * the CLI exits with 2 (bad job file), as for errors found while reading the file.
 */
public class JobDefinitionException extends EtlException {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the job and what to change. */
    public JobDefinitionException(String message) {
        super(message);
    }

    /** Whether this error, or one of its causes, is a {@code JobDefinitionException}. */
    public static boolean in(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JobDefinitionException) {
                return true;
            }
        }
        return false;
    }
}
