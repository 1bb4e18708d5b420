package io.etlpool.cli;

import io.etlpool.etl.Incremental;
import io.etlpool.etl.LoadMethod;
import io.etlpool.etl.LoadMode;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a job file. Every key is known (an unknown one is an error with a suggestion), every value is
 * checked, and {@code ${VAR}} reads the environment, so that passwords need not be in the file or on the
 * command line. Errors name the file and line: "job.yaml line 7: unknown key 'partitons' (did you mean
 * 'partitions'?)".
 */
final class JobFileParser {

    /** The keys at the top of a job file (a pipeline file's defaults and streams take these too). */
    static final Set<String> TOP = Set.of("name", "source", "target", "columns", "pool", "parallelism",
            "adaptiveParallelism", "chunkSize", "incremental");
    private static final Set<String> SOURCE = Set.of("url", "user", "password", "query", "partitionColumn",
            "partitions", "fetchSize");
    private static final Set<String> TARGET = Set.of("url", "user", "password", "table", "mode", "key", "method",
            "createTable", "rejectTable", "maxRejects", "checkpointSchema", "binaryRelay");
    private static final Set<String> POOL = Set.of("source", "target");
    private static final Set<String> POOL_SIZE = Set.of("minSize", "maxSize");
    private static final Set<String> INCREMENTAL = Set.of("cursor", "lookback", "softDelete");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final String file;
    private final Function<String, String> environment;

    JobFileParser(String file, Function<String, String> environment) {
        this.file = file;
        this.environment = environment;
    }

    static JobFile read(Path path, Function<String, String> environment) throws JobFileException {
        String name = path.getFileName().toString();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return new JobFileParser(name, environment).parse(in);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new JobFileException(path.toString(), 0, "no such file");
        } catch (IOException e) {
            throw new JobFileException(path.toString(), 0, "cannot be read: " + e.getMessage());
        }
    }

    JobFile parse(Reader in) throws IOException, JobFileException {
        return parse(YamlNode.parse(in, file));
    }

    /** A job from its file's parsed root (or, for a pipeline's stream, its defaults merged with the stream). */
    JobFile parse(YamlNode root) throws JobFileException {
        Map<String, YamlNode> top = section(root, "the file", TOP);
        JobFile job = new JobFile();
        job.name = required(top, "name", 1);

        YamlNode sourceNode = requiredNode(top, "source", root);
        Map<String, YamlNode> source = section(sourceNode, "source", SOURCE);
        int sourceLine = root.keyLines.get("source");
        side(source, sourceLine, job.source);
        job.query = required(source, "query", sourceLine);
        job.partitionColumn = text(source, "partitionColumn");
        job.partitions = integer(source, "partitions");
        job.fetchSize = integer(source, "fetchSize");

        YamlNode targetNode = requiredNode(top, "target", root);
        Map<String, YamlNode> target = section(targetNode, "target", TARGET);
        int targetLine = root.keyLines.get("target");
        side(target, targetLine, job.target);
        job.table = required(target, "table", targetLine);
        String mode = text(target, "mode");
        if (mode != null) {
            job.mode = choice(target.get("mode"), mode, "mode", LoadMode.class,
                    "insert, truncate-insert, upsert or full-refresh");
        }
        String method = text(target, "method");
        if (method != null) {
            job.method = choice(target.get("method"), method, "method", LoadMethod.class, "copy or batch");
        }
        job.key = stringList(target.get("key"));
        job.createTable = bool(target, "createTable");
        job.binaryRelay = text(target, "binaryRelay") == null || bool(target, "binaryRelay");
        job.rejectTable = text(target, "rejectTable");
        maxRejects(target, job);
        job.checkpointSchema = text(target, "checkpointSchema");

        YamlNode columns = top.get("columns");
        if (columns != null && columns.value != null) {
            if (columns.map() == null) {
                throw new JobFileException(file, columns.line, "'columns' must map target columns to source expressions");
            }
            for (Map.Entry<String, YamlNode> c : columns.map().entrySet()) {
                job.columns.put(c.getKey(), scalar(c.getValue(), "columns." + c.getKey()));
            }
        }
        YamlNode pool = top.get("pool");
        if (pool != null) {
            Map<String, YamlNode> pools = section(pool, "pool", POOL);
            poolSize(pools.get("source"), "pool.source", job.source);
            poolSize(pools.get("target"), "pool.target", job.target);
        }
        Integer parallelism = integer(top, "parallelism");
        if (parallelism != null) {
            job.parallelism = parallelism;
        }
        job.adaptiveParallelism = text(top, "adaptiveParallelism") != null && bool(top, "adaptiveParallelism");
        Integer chunkSize = integer(top, "chunkSize");
        if (chunkSize != null) {
            job.chunkSize = chunkSize;
        }
        job.incremental = incremental(top.get("incremental"));
        return job;
    }

    /**
     * {@code incremental: {cursor: updated_at, lookback: 5m, softDelete: deleted}} (null when absent): a job's
     * key, wherever the job is written.
     */
    Incremental incremental(YamlNode node) throws JobFileException {
        if (node == null || node.value == null) {
            return null;
        }
        if (node.text() != null) {
            throw new JobFileException(file, node.line, "'incremental' must be a map with at least the cursor, e.g. "
                    + "incremental: {cursor: updated_at}");
        }
        Map<String, YamlNode> m = section(node, "incremental", INCREMENTAL);
        Incremental inc = Incremental.cursor(required(m, "cursor", node.line));
        String lookback = text(m, "lookback");
        if (lookback != null) {
            java.time.Duration d = Times.parse(lookback);
            if (d == null) {
                throw new JobFileException(file, m.get("lookback").line, "'lookback' must be a time such as 30s, 5m, "
                        + "2h or 1d, not '" + lookback + "'");
            }
            inc = inc.lookback(d);
        }
        String softDelete = text(m, "softDelete");
        return softDelete == null ? inc : inc.softDelete(softDelete);
    }

    /** {@code maxRejects: 100} (rows) or {@code maxRejects: 5%} (of the rows read). */
    private void maxRejects(Map<String, YamlNode> target, JobFile job) throws JobFileException {
        String v = text(target, "maxRejects");
        if (v == null) {
            return;
        }
        String t = v.trim();
        try {
            if (t.endsWith("%")) {
                job.maxRejectsPercent = Double.parseDouble(t.substring(0, t.length() - 1).trim());
                if (job.maxRejectsPercent < 0 || job.maxRejectsPercent > 100) {
                    throw new NumberFormatException();
                }
            } else {
                job.maxRejects = Long.parseLong(t);
                if (job.maxRejects < 0) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw new JobFileException(file, target.get("maxRejects").line, "'maxRejects' must be a number of rows "
                    + "(100) or a percentage of the rows read (5%), not '" + v + "'");
        }
    }

    private void poolSize(YamlNode node, String where, JobFile.Side side) throws JobFileException {
        if (node == null) {
            return;
        }
        Map<String, YamlNode> m = section(node, where, POOL_SIZE);
        Integer min = integer(m, "minSize");
        Integer max = integer(m, "maxSize");
        if (min != null) {
            side.minSize = min;
            side.minSizeSet = true;
        }
        if (max != null) {
            side.maxSize = max;
        }
        if (side.minSize > side.maxSize) {
            throw new JobFileException(file, node.line, where + ": minSize (" + side.minSize + ") must not exceed maxSize ("
                    + side.maxSize + ")");
        }
    }

    /** A map whose keys are all known. */
    Map<String, YamlNode> section(YamlNode node, String where, Set<String> known) throws JobFileException {
        Map<String, YamlNode> m = node.map();
        if (m == null) {
            throw new JobFileException(file, node.line, where + " must be a map of keys");
        }
        for (Map.Entry<String, Integer> k : node.keyLines.entrySet()) {
            if (!known.contains(k.getKey())) {
                String hint = suggestion(k.getKey(), known);
                throw new JobFileException(file, k.getValue(), "unknown key '" + k.getKey() + "'"
                        + (hint == null ? " (known keys: " + String.join(", ", new java.util.TreeSet<>(known)) + ")"
                        : " (did you mean '" + hint + "'?)"));
            }
        }
        return m;
    }

    private YamlNode requiredNode(Map<String, YamlNode> m, String key, YamlNode parent) throws JobFileException {
        YamlNode n = m.get(key);
        if (n == null || n.value == null) {
            throw new JobFileException(file, parent.keyLines.getOrDefault(key, 1), "missing key '" + key + "'");
        }
        return n;
    }

    /** A value that must be there; when it is not, the error points at the section's own line. */
    /** The connection keys source and target share. */
    void side(Map<String, YamlNode> m, int sectionLine, JobFile.Side side) throws JobFileException {
        side.url = required(m, "url", sectionLine);
        if (!side.url.startsWith("jdbc:")) {
            // the URL is not repeated: it may hold a password
            throw new JobFileException(file, m.get("url").line, "'url' must be a JDBC URL, starting with jdbc:, e.g. "
                    + "jdbc:postgresql://localhost:5432/shop");
        }
        side.user = text(m, "user");
        side.password = text(m, "password");
    }

    private String required(Map<String, YamlNode> m, String key, int sectionLine) throws JobFileException {
        String v = text(m, key);
        if (v == null || v.isBlank()) {
            throw new JobFileException(file, m.containsKey(key) ? m.get(key).line : sectionLine, "missing key '" + key + "'");
        }
        return v;
    }

    String text(Map<String, YamlNode> m, String key) throws JobFileException {
        YamlNode n = m.get(key);
        return n == null || n.value == null ? null : scalar(n, key);
    }

    private String scalar(YamlNode n, String key) throws JobFileException {
        if (n.text() == null) {
            throw new JobFileException(file, n.line, "'" + key + "' must be a single value");
        }
        return substitute(n.text(), n.line, key);
    }

    /** ${VAR} from the environment; an unset variable is an error, never an empty string. */
    private String substitute(String value, int line, String key) throws JobFileException {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = environment.apply(m.group(1));
            if (v == null) {
                throw new JobFileException(file, line, "'" + key + "' uses ${" + m.group(1)
                        + "}, but the environment variable " + m.group(1) + " is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    Integer integer(Map<String, YamlNode> m, String key) throws JobFileException {
        String v = text(m, key);
        if (v == null) {
            return null;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i < 1) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new JobFileException(file, m.get(key).line, "'" + key + "' must be a whole number of at least 1, not '" + v + "'");
        }
    }

    private boolean bool(Map<String, YamlNode> m, String key) throws JobFileException {
        String v = text(m, key);
        if (v == null) {
            return false;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw new JobFileException(file, m.get(key).line, "'" + key + "' must be true or false, not '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    private <E extends Enum<E>> E choice(YamlNode n, String v, String key, Class<E> type, String allowed)
            throws JobFileException {
        try {
            return Enum.valueOf(type, v.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new JobFileException(file, n.line, "'" + key + "' must be " + allowed + ", not '" + v + "'");
        }
    }

    private List<String> stringList(YamlNode n) throws JobFileException {
        if (n == null || n.value == null) {
            return List.of();
        }
        if (n.text() != null) {
            return List.of(substitute(n.text(), n.line, "key"));
        }
        if (n.list() == null) {
            throw new JobFileException(file, n.line, "'key' must be a column name or a list of them, e.g. key: [id]");
        }
        List<String> out = new ArrayList<>();
        for (YamlNode item : n.list()) {
            out.add(scalar(item, "key"));
        }
        return out;
    }

    /** The known key closest to a misspelt one, if it is close (at most 2 edits). */
    static String suggestion(String wrong, Set<String> known) {
        return io.etlpool.Suggestions.closest(wrong, known, 2);
    }
}
