package io.etlpool.cli;

import io.etlpool.etl.LoadMethod;
import io.etlpool.etl.LoadMode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A parsed job file: what {@code etlpool run job.yaml} runs. Its password fields never get printed. */
final class JobFile {

    /** Connection settings and pool size of one side. */
    static final class Side {
        String url;
        String user;
        String password;
        int minSize = 1;
        /** Whether the job file set minSize: if not, a run opens the connections it will hold at its start. */
        boolean minSizeSet;
        int maxSize = 8;

        @Override
        public String toString() {
            return url + " as " + user;
        }
    }

    String name;
    final Side source = new Side();
    String query;
    String partitionColumn;
    Integer partitions;
    Integer fetchSize;
    final Side target = new Side();
    String table;
    LoadMode mode = LoadMode.INSERT;
    List<String> key = List.of();
    LoadMethod method = LoadMethod.COPY;
    boolean createTable;
    /** target.binaryRelay: relay binary COPY where types allow (default true). */
    boolean binaryRelay = true;
    String rejectTable;
    /** Negative: no limit. */
    long maxRejects = -1;
    double maxRejectsPercent = -1;
    String checkpointSchema;
    final Map<String, String> columns = new LinkedHashMap<>();
    /** Null: the engine's default (one per core, at most the partitions). */
    Integer parallelism;
    /** adaptiveParallelism: the streams follow throughput, parallelism (if set) caps them. */
    boolean adaptiveParallelism;
    /** Null: the engine's defaults (EtlJob.DEFAULT_CHUNK_SIZE, DEFAULT_RELAY_CHUNK_SIZE on the binary relay). */
    Integer chunkSize;
    /** {@code incremental:}, or null. */
    io.etlpool.etl.Incremental incremental;
}
