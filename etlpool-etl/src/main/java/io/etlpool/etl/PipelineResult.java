package io.etlpool.etl;

import io.etlpool.etl.internal.Json;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of a pipeline run: one {@link StreamResult} per stream, in the order the streams were
 * declared, and the totals. {@link #toJson()} gives a report for tools.
 *
 * @param pipeline          the pipeline's name
 * @param streams           per stream: status, rows, path, error
 * @param connectionBudget  per pool (by its name): the most connections the run could hold at once
 * @param definitions       what was done about the copied tables' keys and indexes (as each table loaded),
 *                          foreign keys and sequences (at the end), or null when the pipeline copies no whole
 *                          tables
 * @param duration          how long the run took
 */
public record PipelineResult(String pipeline, List<StreamResult> streams, Map<String, Integer> connectionBudget,
                             String definitions, Duration duration) {

    /** How a stream's run ended. */
    public enum Status {
        /** The stream ran and loaded its rows (possibly resuming an earlier run). */
        LOADED,
        /** An earlier run had finished the stream: nothing to do. */
        ALREADY_COMPLETE,
        /** The stream failed; what it committed stays, and the next run resumes it. */
        FAILED,
        /** The run stopped (interrupted) before the stream started. */
        NOT_STARTED
    }

    /**
     * One stream's outcome.
     *
     * @param stream        the stream's (job's) name
     * @param table         its target table
     * @param status        how it ended
     * @param estimatedRows the source's estimate of its rows, -1 when unknown or the stream is incremental
     * @param parallelism   partitions it ran at once
     * @param result        the job's result (also of a failed run: what it committed), or null when it did not start
     * @param error         why it failed, or null
     */
    public record StreamResult(String stream, String table, Status status, long estimatedRows, int parallelism,
                               JobResult result, String error) {

        /** Rows written by this run of the stream. */
        public long rowsWritten() {
            return result == null ? 0 : result.rowsWritten();
        }

        /** Rows read by this run of the stream. */
        public long rowsRead() {
            return result == null ? 0 : result.rowsRead();
        }

        /** How the rows moved (binary relay or rows, and why), or "-" when the stream did not run. */
        public String path() {
            return result == null ? "-" : result.path();
        }
    }

    /** Whether any stream failed or did not start. */
    public boolean failed() {
        return streams.stream().anyMatch(s -> s.status() == Status.FAILED || s.status() == Status.NOT_STARTED);
    }

    /** The streams that failed or did not start. */
    public List<StreamResult> failedStreams() {
        return streams.stream().filter(s -> s.status() == Status.FAILED || s.status() == Status.NOT_STARTED).toList();
    }

    /** The result of the stream with this name. */
    public StreamResult stream(String name) {
        return streams.stream().filter(s -> s.stream().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("pipeline '" + pipeline + "' has no stream '" + name + "'"));
    }

    /** Rows written by this run over all streams. */
    public long rowsWritten() {
        return streams.stream().mapToLong(StreamResult::rowsWritten).sum();
    }

    /** Rows read by this run over all streams. */
    public long rowsRead() {
        return streams.stream().mapToLong(StreamResult::rowsRead).sum();
    }

    /** The result as JSON: totals, then each stream with its job's own report (no row values, no credentials). */
    public String toJson() {
        StringBuilder b = new StringBuilder("{");
        b.append("\"pipeline\":").append(Json.quote(pipeline))
                .append(",\"failed\":").append(failed())
                .append(",\"streamCount\":").append(streams.size())
                .append(",\"streamsFailed\":").append(failedStreams().size())
                .append(",\"rowsRead\":").append(rowsRead())
                .append(",\"rowsWritten\":").append(rowsWritten())
                .append(",\"durationMs\":").append(duration.toMillis())
                .append(",\"rowsPerSecond\":").append(String.format(Locale.ROOT, "%.1f",
                        duration.toNanos() <= 0 ? 0.0 : rowsWritten() / (duration.toNanos() / 1e9)))
                .append(",\"definitions\":").append(definitions == null ? "null" : Json.quote(definitions))
                .append(",\"connectionBudget\":{");
        int i = 0;
        for (Map.Entry<String, Integer> e : connectionBudget.entrySet()) {
            b.append(i++ == 0 ? "" : ",").append(Json.quote(e.getKey())).append(':').append(e.getValue());
        }
        b.append("},\"streams\":[");
        for (int s = 0; s < streams.size(); s++) {
            StreamResult r = streams.get(s);
            b.append(s == 0 ? "" : ",").append("{\"stream\":").append(Json.quote(r.stream()))
                    .append(",\"table\":").append(Json.quote(r.table()))
                    .append(",\"status\":").append(Json.quote(r.status().name().toLowerCase(Locale.ROOT).replace('_', '-')))
                    .append(",\"estimatedRows\":").append(r.estimatedRows())
                    .append(",\"parallelism\":").append(r.parallelism())
                    .append(",\"rowsWritten\":").append(r.rowsWritten())
                    .append(",\"path\":").append(Json.quote(r.path()))
                    .append(",\"error\":").append(r.error() == null ? "null" : Json.quote(r.error()))
                    .append(",\"job\":").append(r.result() == null ? "null" : r.result().toJson()).append('}');
        }
        return b.append("]}").toString();
    }
}
