package io.etlpool.spark.internal;

import io.etlpool.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options of {@code format("etlpool")}, read and checked in the driver before any task starts. Keys
 * are case-insensitive, as Spark treats them; every key must be known (a misspelt one is an error naming the
 * closest known key), and each value is checked where it is read.
 */
public final class Options {

    /** The connection: where, as whom, and how many connections the whole application may use. */
    static final List<String> CONNECTION = List.of("url", "user", "password", "credentialsProvider", "budget",
            "executors", "connectionTimeoutMs", "poolIdleCloseMs");
    /** The writer's own options. */
    static final List<String> WRITE = List.of("table", "mode", "key", "method", "batchSize", "jobId",
            "checkpointTable");
    /** The reader's own options ({@code table} is shared). */
    static final List<String> READ = List.of("query", "partitionColumn", "partitions", "fetchSize");

    private final Map<String, String> values; // lower-case key -> value

    private Options(Map<String, String> values) {
        this.values = values;
    }

    /** Checks that every key is known and keeps the values. */
    public static Options of(Map<String, String> options) {
        Map<String, String> known = new LinkedHashMap<>();
        for (String k : all()) {
            known.put(k.toLowerCase(Locale.ROOT), k);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : options.entrySet()) {
            String k = e.getKey().toLowerCase(Locale.ROOT);
            if (!known.containsKey(k)) {
                String hint = Suggestions.closest(e.getKey(), all(), 2);
                throw new IllegalArgumentException("format(\"etlpool\"): unknown option '" + e.getKey() + "'"
                        + (hint != null ? "; did you mean '" + hint + "'?" : "")
                        + " Known options: " + String.join(", ", new TreeSet<>(all())));
            }
            values.put(k, e.getValue());
        }
        return new Options(values);
    }

    private static List<String> all() {
        List<String> all = new ArrayList<>(CONNECTION);
        all.addAll(WRITE);
        all.addAll(READ);
        return all;
    }

    /** Refuses the options of the other direction, e.g. {@code query} on a write. */
    void onlyFor(String direction, List<String> foreign) {
        for (String k : foreign) {
            if (has(k)) {
                throw new IllegalArgumentException("format(\"etlpool\"): option '" + k + "' is for "
                        + (direction.equals("write") ? "reading" : "writing") + ", not for a " + direction);
            }
        }
    }

    boolean has(String name) {
        return values.containsKey(name.toLowerCase(Locale.ROOT));
    }

    String get(String name) {
        String v = values.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isBlank() ? null : v.trim();
    }

    String required(String name, String example) {
        String v = get(name);
        if (v == null) {
            throw new IllegalArgumentException("format(\"etlpool\"): option '" + name + "' is missing, e.g. .option(\""
                    + name + "\", \"" + example + "\")");
        }
        return v;
    }

    /** The raw value, not trimmed (a password may have spaces). */
    String raw(String name) {
        return values.get(name.toLowerCase(Locale.ROOT));
    }

    long positiveLong(String name, long otherwise, long min) {
        String v = get(name);
        if (v == null) {
            return otherwise;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("format(\"etlpool\"): option '" + name + "' must be a whole number of at least "
                + min + ", not '" + v + "'");
    }

    int positiveInt(String name, int otherwise, int min) {
        return (int) Math.min(Integer.MAX_VALUE, positiveLong(name, otherwise, min));
    }

    /** One of {@code allowed} (case-insensitive), lower-cased. */
    String choice(String name, String otherwise, Set<String> allowed) {
        String v = get(name);
        if (v == null) {
            return otherwise;
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (!allowed.contains(lower)) {
            String hint = Suggestions.closest(lower, allowed, 2);
            throw new IllegalArgumentException("format(\"etlpool\"): option '" + name + "' is '" + v + "'; it must be one of "
                    + String.join(", ", new TreeSet<>(allowed)) + (hint != null ? " (did you mean '" + hint + "'?)" : ""));
        }
        return lower;
    }

    /** A comma-separated list, each item trimmed; empty when the option is absent. */
    List<String> list(String name) {
        List<String> out = new ArrayList<>();
        String v = get(name);
        if (v != null) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }
}
