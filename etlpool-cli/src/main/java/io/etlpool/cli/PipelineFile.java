package io.etlpool.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed pipeline file (a job file with {@code streams:}): the connections and defaults at the top, and each
 * stream as its defaults merged with its own keys, ready for the job file parser. Table patterns are resolved
 * against the source later ({@link PipelineFileParser#expand}). Its password fields never get printed.
 */
final class PipelineFile {

    /** One entry of {@code streams:}: a table or query stream, or table patterns. */
    static final class Stream {
        int line;
        /** The stream's {@code name:}, or null (then it is named after its table). */
        String name;
        /** The defaults merged with the stream's own keys (without {@code tables} and {@code exclude}). */
        YamlNode merged;
        /** {@code tables:} patterns; empty for a table or query stream. */
        final List<YamlNode> tables = new ArrayList<>();
        final List<YamlNode> exclude = new ArrayList<>();
    }

    /** A stream ready to build: its job file, and the source table when it copies a whole table. */
    record Job(JobFile file, String sourceTable, int line) {
    }

    String name;
    final JobFile.Side source = new JobFile.Side();
    final JobFile.Side target = new JobFile.Side();
    /** Connections per database the run may hold at once (default 8). */
    int maxConnections = 8;
    final List<Stream> streams = new ArrayList<>();
}
