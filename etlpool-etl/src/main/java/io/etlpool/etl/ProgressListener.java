package io.etlpool.etl;

/** Receives a job's progress, from its worker threads: keep it short and thread-safe. */
@FunctionalInterface
public interface ProgressListener {

    /** A chunk was committed (or a partition finished). */
    void progress(ProgressEvent event);

    /**
     * The run has its lease and plan and is about to move rows: {@code partitionsDone} of {@code partitions}
     * were finished by earlier runs; {@code resumed} when it continues from an earlier run's checkpoints.
     */
    default void starting(String job, int partitionsDone, int partitions, boolean resumed) {
    }

    /** The listener that does nothing (the default). */
    ProgressListener NONE = e -> {
    };
}
