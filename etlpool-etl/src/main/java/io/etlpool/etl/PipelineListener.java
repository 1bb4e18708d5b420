package io.etlpool.etl;

/**
 * Receives a pipeline's progress, from the streams' threads: keep it short and thread-safe. Every method
 * has a default that does nothing.
 */
public interface PipelineListener {

    /**
     * The run is about to start its first stream: every stream's estimated rows (-1 when unknown), in the order
     * the streams were declared.
     */
    default void starting(java.util.Map<String, Long> estimatedRows) {
    }

    /**
     * A stream starts: {@code estimatedRows} is the source's own estimate of its rows (the planner's, from
     * {@code pg_class.reltuples}), or -1 when unknown (and for an incremental stream, whose run loads one
     * increment of its query); {@code parallelism} is how many of its partitions run at
     * once within the connection budget.
     */
    default void streamStarting(String stream, long estimatedRows, int parallelism) {
    }

    /** A chunk of a stream committed. */
    default void progress(String stream, ProgressEvent event) {
    }

    /**
     * A stream ended: loaded, already complete, or failed (with the reason). A stream that copies a whole
     * table with its definition ends once that table's keys and indexes are built (or refused: then it failed);
     * the foreign keys come after every such stream ended, and a refused one fails its stream in the result.
     */
    default void streamFinished(PipelineResult.StreamResult result) {
    }

    /** The listener that does nothing (the default). */
    PipelineListener NONE = new PipelineListener() {
    };
}
