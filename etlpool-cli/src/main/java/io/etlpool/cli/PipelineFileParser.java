package io.etlpool.cli;

import io.etlpool.etl.internal.SourceCatalog;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a pipeline file: a job file whose {@code streams:} list holds the streams, with the connections and
 * the defaults every stream shares at the top. Each stream is its defaults merged with its own keys (in
 * {@code source:} and {@code target:} key by key) and is then read by {@link JobFileParser}, the same code
 * as a single job file, so every key and check of a job file applies to a stream. A stream names a table or
 * a query, or selects tables by pattern ({@code tables: [sales.*]}, {@code exclude: [...]}).
 */
final class PipelineFileParser {

    private static final Set<String> CONNECTION = Set.of("url", "user", "password");
    private static final Set<String> PIPELINE_ONLY = Set.of("streams", "maxConnections");
    private static final Set<String> PATTERN_ONLY = Set.of("tables", "exclude");
    private static final Pattern JOB_NAME = Pattern.compile("[^A-Za-z0-9_.-]");

    private final String file;
    private final JobFileParser jobs;

    PipelineFileParser(String file, Function<String, String> environment) {
        this.file = file;
        this.jobs = new JobFileParser(file, environment);
    }

    /** Whether the file is a pipeline file (has {@code streams:} at the top); false when it cannot be read. */
    static boolean isPipeline(Path path) {
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            YamlNode root = YamlNode.parse(in, path.getFileName().toString());
            return root.map() != null && root.map().containsKey("streams");
        } catch (IOException | JobFileException | RuntimeException e) {
            return false; // the job file parser reports what is wrong with it
        }
    }

    static PipelineFile read(Path path, Function<String, String> environment) throws JobFileException {
        String name = path.getFileName().toString();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return new PipelineFileParser(name, environment).parse(YamlNode.parse(in, name));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new JobFileException(path.toString(), 0, "no such file");
        } catch (IOException e) {
            throw new JobFileException(path.toString(), 0, "cannot be read: " + e.getMessage());
        }
    }

    PipelineFile parse(YamlNode root) throws JobFileException {
        Set<String> topKeys = new HashSet<>(JobFileParser.TOP);
        topKeys.remove("pool"); // the pools are the pipeline's: one per database, maxConnections each
        topKeys.addAll(PIPELINE_ONLY);
        Map<String, YamlNode> top = jobs.section(root, "the file", topKeys);
        PipelineFile p = new PipelineFile();
        p.name = jobs.text(top, "name");
        if (p.name == null || p.name.isBlank()) {
            throw new JobFileException(file, 1, "missing key 'name'");
        }
        Integer max = jobs.integer(top, "maxConnections");
        if (max != null) {
            p.maxConnections = max;
        }
        for (String side : List.of("source", "target")) {
            YamlNode n = top.get(side);
            if (n == null || n.map() == null) {
                throw new JobFileException(file, n == null ? 1 : n.line, "missing key '" + side + "' with the url, user "
                        + "and password every stream's " + side + " uses");
            }
            jobs.side(n.map(), root.keyLines.get(side), side.equals("source") ? p.source : p.target);
        }
        Map<String, YamlNode> defaults = new LinkedHashMap<>(top);
        defaults.keySet().removeAll(PIPELINE_ONLY);
        YamlNode list = top.get("streams");
        if (list == null || list.list() == null || list.list().isEmpty()) {
            throw new JobFileException(file, list == null ? 1 : list.line, "'streams' must be a list of streams, each a "
                    + "map: '- {target: {table: t}, source: {query: ...}}' or '- {tables: [sales.*]}'");
        }
        Set<String> streamKeys = new HashSet<>(topKeys);
        streamKeys.removeAll(PIPELINE_ONLY);
        streamKeys.addAll(PATTERN_ONLY);
        for (YamlNode item : list.list()) {
            p.streams.add(stream(item, streamKeys, defaults, root.keyLines));
        }
        return p;
    }

    private PipelineFile.Stream stream(YamlNode item, Set<String> keys, Map<String, YamlNode> defaults,
                                       Map<String, Integer> defaultLines) throws JobFileException {
        Map<String, YamlNode> own = jobs.section(item, "a stream", keys);
        PipelineFile.Stream s = new PipelineFile.Stream();
        s.line = item.line;
        s.name = jobs.text(own, "name");
        for (String side : List.of("source", "target")) {
            YamlNode n = own.get(side);
            if (n != null && n.map() != null) {
                for (String k : n.map().keySet()) {
                    if (CONNECTION.contains(k)) {
                        throw new JobFileException(file, n.keyLines.get(k), "a stream cannot set '" + side + "." + k
                                + "': every stream uses the connection at the top of the file (one pool per database)");
                    }
                }
            }
        }
        patterns(own.get("tables"), "tables", s.tables);
        patterns(own.get("exclude"), "exclude", s.exclude);
        if (s.tables.isEmpty() && !s.exclude.isEmpty()) {
            throw new JobFileException(file, own.get("exclude").line, "'exclude' leaves tables out of a 'tables' "
                    + "pattern: add tables: [...] to this stream");
        }
        Map<String, YamlNode> merged = new LinkedHashMap<>(defaults);
        Map<String, Integer> lines = new LinkedHashMap<>(defaultLines);
        for (Map.Entry<String, YamlNode> e : own.entrySet()) {
            if (PATTERN_ONLY.contains(e.getKey())) {
                continue;
            }
            YamlNode base = merged.get(e.getKey());
            if (base != null && base.map() != null && e.getValue().map() != null) {
                Map<String, YamlNode> m = new LinkedHashMap<>(base.map());
                Map<String, Integer> ml = new LinkedHashMap<>(base.keyLines);
                m.putAll(e.getValue().map());
                ml.putAll(e.getValue().keyLines);
                merged.put(e.getKey(), YamlNode.map(e.getValue().line, m, ml));
            } else {
                merged.put(e.getKey(), e.getValue());
            }
            lines.put(e.getKey(), item.keyLines.get(e.getKey()));
        }
        s.merged = YamlNode.map(item.line, merged, lines);
        if (!s.tables.isEmpty()) {
            for (String k : List.of("query", "table")) {
                String side = k.equals("query") ? "source" : "target";
                YamlNode n = own.get(side);
                if (n != null && n.map() != null && n.map().containsKey(k)) {
                    throw new JobFileException(file, n.keyLines.get(k), "a 'tables' stream reads whole tables into tables "
                            + "of the same name: it takes no '" + side + "." + k + "' (write a stream of its own for that)");
                }
            }
        }
        return s;
    }

    private void patterns(YamlNode n, String key, List<YamlNode> out) throws JobFileException {
        if (n == null || n.value == null) {
            return;
        }
        if (n.text() != null) {
            out.add(n);
        } else if (n.list() != null) {
            for (YamlNode item : n.list()) {
                if (item.text() == null) {
                    throw new JobFileException(file, item.line, "'" + key + "' must list table patterns, e.g. [sales.*]");
                }
                out.add(item);
            }
        } else {
            throw new JobFileException(file, n.line, "'" + key + "' must list table patterns, e.g. [sales.*]");
        }
    }

    /**
     * The pipeline's streams as job files, table patterns resolved against the source's tables: a pattern
     * (or an exclusion) that matches no table is an error naming its line. A table stream reads
     * {@code SELECT * FROM} the table into a table of the same name, partitioned on its primary key when that
     * is one integer, date or timestamp column (else one partition in key order), with the primary key as the
     * upsert key.
     */
    List<PipelineFile.Job> expand(PipelineFile p, List<SourceCatalog.Table> catalog) throws JobFileException {
        List<PipelineFile.Job> out = new ArrayList<>();
        for (PipelineFile.Stream s : p.streams) {
            if (s.tables.isEmpty()) {
                JobFile job = jobs.parse(named(s.merged, p.name, s.name, s.line, null));
                out.add(new PipelineFile.Job(job, null, s.line));
                continue;
            }
            Set<SourceCatalog.Table> chosen = new LinkedHashSet<>();
            for (YamlNode pattern : s.tables) {
                List<SourceCatalog.Table> m = matching(catalog, pattern);
                if (m.isEmpty()) {
                    throw new JobFileException(file, pattern.line, "tables pattern '" + pattern.text() + "' matches no "
                            + "table in the source" + known(catalog) + ". Nothing was moved");
                }
                chosen.addAll(m);
            }
            for (YamlNode pattern : s.exclude) {
                List<SourceCatalog.Table> m = matching(catalog, pattern);
                if (m.isEmpty()) {
                    throw new JobFileException(file, pattern.line, "exclude pattern '" + pattern.text() + "' matches no "
                            + "table in the source" + known(catalog) + ". Nothing was moved");
                }
                m.forEach(chosen::remove);
            }
            if (chosen.isEmpty()) {
                throw new JobFileException(file, s.line, "'exclude' leaves no table of this stream's 'tables'. Nothing "
                        + "was moved");
            }
            for (SourceCatalog.Table t : chosen) {
                out.add(new PipelineFile.Job(jobs.parse(tableStream(s, p.name, t)), t.written(), s.line));
            }
        }
        return out;
    }

    private List<SourceCatalog.Table> matching(List<SourceCatalog.Table> catalog, YamlNode pattern)
            throws JobFileException {
        try {
            return SourceCatalog.matching(catalog, pattern.text());
        } catch (IllegalArgumentException e) {
            throw new JobFileException(file, pattern.line, e.getMessage());
        }
    }

    private static String known(List<SourceCatalog.Table> catalog) {
        if (catalog.isEmpty()) {
            return " (it has no tables)";
        }
        List<String> names = catalog.stream().limit(20).map(SourceCatalog.Table::written).toList();
        return " (its tables: " + String.join(", ", names) + (catalog.size() > 20 ? ", ..." : "") + ")";
    }

    /** A stream of a whole table: the merged keys plus the query, table, partition column and key it implies. */
    private YamlNode tableStream(PipelineFile.Stream s, String pipeline, SourceCatalog.Table t) throws JobFileException {
        Map<String, YamlNode> top = new LinkedHashMap<>(s.merged.map());
        Map<String, YamlNode> source = new LinkedHashMap<>(top.get("source").map());
        Map<String, YamlNode> target = new LinkedHashMap<>(top.get("target").map());
        Integer chunkSize = jobs.integer(top, "chunkSize");
        // an incremental stream without a single-column key is cut on its cursor, as before
        String cut = top.containsKey("incremental") ? t.partitionColumn()
                : t.partitionColumn(chunkSize != null ? chunkSize : io.etlpool.etl.EtlJob.DEFAULT_CHUNK_SIZE);
        String partition = source.containsKey("partitionColumn") ? jobs.text(source, "partitionColumn")
                : cut == null ? null : SourceCatalog.Table.column(cut);
        String order = partition != null ? "" : " ORDER BY " + (t.primaryKey().isEmpty() ? "ctid"
                : String.join(", ", t.primaryKey().stream().map(SourceCatalog.Table::column).toList()));
        source.put("query", YamlNode.scalar(s.line, t.select() + order));
        if (partition != null) {
            source.put("partitionColumn", YamlNode.scalar(s.line, partition));
        }
        target.put("table", YamlNode.scalar(s.line, t.written()));
        String mode = jobs.text(target, "mode");
        if (mode != null && mode.trim().toLowerCase(Locale.ROOT).equals("upsert") && !target.containsKey("key")) {
            if (t.primaryKey().isEmpty()) {
                throw new JobFileException(file, s.line, "table " + t.written() + " has no primary key, so this upsert "
                        + "stream has no key for it: leave it out (exclude), or give it a stream of its own with "
                        + "target.key, or use mode insert or truncate-insert. Nothing was moved");
            }
            List<YamlNode> key = new ArrayList<>();
            for (String k : t.primaryKey()) {
                key.add(YamlNode.scalar(s.line, SourceCatalog.Table.column(k)));
            }
            target.put("key", YamlNode.list(s.line, key));
        }
        top.put("source", YamlNode.map(top.get("source").line, source, top.get("source").keyLines));
        top.put("target", YamlNode.map(top.get("target").line, target, top.get("target").keyLines));
        return named(YamlNode.map(s.merged.line, top, s.merged.keyLines), pipeline, null, s.line, t.written());
    }

    /** The merged stream with its job's name: {@code pipeline.stream}, the stream named after its table by default. */
    private YamlNode named(YamlNode merged, String pipeline, String stream, int line, String table)
            throws JobFileException {
        String own = stream;
        if (own == null) {
            String t = table;
            if (t == null) {
                YamlNode target = merged.map().get("target");
                t = target == null || target.map() == null ? null : jobs.text(target.map(), "table");
            }
            if (t == null) {
                throw new JobFileException(file, line, "missing key 'table' in this stream's target");
            }
            own = JOB_NAME.matcher(t.replace("\"", "")).replaceAll("_");
        }
        Map<String, YamlNode> m = new LinkedHashMap<>(merged.map());
        m.put("name", YamlNode.scalar(line, pipeline + "." + own));
        return YamlNode.map(merged.line, m, merged.keyLines);
    }

    /** The stream's own name in a job name {@code pipeline.stream}. */
    static String streamName(String pipeline, String job) {
        return job.startsWith(pipeline + ".") ? job.substring(pipeline.length() + 1) : job;
    }
}
