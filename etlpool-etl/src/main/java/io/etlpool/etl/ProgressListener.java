package io.etlpool.etl;

/** Receives a job's progress, from its worker threads: keep it short and thread-safe. */
@FunctionalInterface
public interface ProgressListener {

    /** A chunk was committed (or a partition finished). */
    void progress(ProgressEvent event);

    /** The listener that does nothing (the default). */
    ProgressListener NONE = e -> {
    };
}
