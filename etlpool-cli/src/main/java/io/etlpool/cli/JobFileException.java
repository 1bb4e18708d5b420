package io.etlpool.cli;

/** A job file is wrong: the message names the file, the line and the key, e.g. "job.yaml line 7: ...". */
public class JobFileException extends Exception {

    private static final long serialVersionUID = 1L;

    public JobFileException(String file, int line, String message) {
        super(file + (line > 0 ? " line " + line : "") + ": " + message);
    }
}
