package io.etlpool.etl.internal;

import io.etlpool.etl.EtlJob;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What defines a job, in a canonical form stored with its plan, and its SHA-256 fingerprint. A run whose
 * job no longer matches the stored definition must not resume the old plan: {@link #changesFrom} names
 * what changed. Settings that do not change which rows land where (parallelism, chunk size, retries) are
 * not part of it; neither is a Java transform, which has no stable identity, nor checkpointSchema, which
 * says where the checkpoints are, not what the job is. Names are taken in their canonical spelling
 * ({@link Sql#canonical}): {@code Fact} and {@code "fact"} are one table, {@code fact} and
 * {@code public.fact} two (which table an unqualified name means depends on the search path).
 */
final class JobIdentity {

    private final Map<String, String> parts;
    private final String definition;
    private final String fingerprint;

    private JobIdentity(Map<String, String> parts) {
        this.parts = parts;
        StringBuilder b = new StringBuilder();
        parts.forEach((k, v) -> b.append(k).append('=').append(escape(v)).append('\n'));
        this.definition = b.toString();
        this.fingerprint = sha256(definition);
    }

    static JobIdentity of(EtlJob job) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("source query", job.query());
        p.put("partition column", job.partitionColumn() == null ? "" : Sql.canonical(job.partitionColumn(), "partitionColumn", 1));
        p.put("partitions", Integer.toString(job.partitions()));
        p.put("target table", Sql.canonical(job.table(), "table", 2));
        List<String> mapping = new ArrayList<>();
        job.columns().forEach((t, e) -> mapping.add(Sql.canonical(t, "column", 1) + " <- " + e));
        p.put("columns", String.join("; ", mapping));
        p.put("mode", job.mode().name());
        p.put("method", job.method().name());
        List<String> key = new ArrayList<>();
        job.key().forEach(k -> key.add(Sql.canonical(k, "key", 1)));
        p.put("key", String.join(", ", key));
        p.put("incremental", IncrementalRun.identity(job)); // empty for other jobs: older definitions match
        return new JobIdentity(p);
    }

    /** The canonical text: one {@code part=value} line per part, newlines in values escaped. */
    String definition() {
        return definition;
    }

    String fingerprint() {
        return fingerprint;
    }

    /**
     * What differs between a stored definition and this one, e.g. "target table changed from 'a' to 'b'";
     * empty when they are the same job.
     */
    List<String> changesFrom(String stored) {
        Map<String, String> old = parse(stored);
        List<String> changes = new ArrayList<>();
        for (Map.Entry<String, String> e : parts.entrySet()) {
            String before = old.getOrDefault(e.getKey(), "");
            if (!before.equals(e.getValue())) {
                changes.add(e.getKey() + " changed from " + show(before) + " to " + show(e.getValue()));
            }
        }
        return changes;
    }

    private static String show(String v) {
        if (v.isEmpty()) {
            return "(none)";
        }
        String one = v.replace('\n', ' ');
        return "'" + (one.length() > 120 ? one.substring(0, 117) + "..." : one) + "'";
    }

    private static Map<String, String> parse(String definition) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : definition.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), unescape(line.substring(eq + 1)));
            }
        }
        return m;
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch == '\\' && i + 1 < v.length()) {
                char n = v.charAt(++i);
                b.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
