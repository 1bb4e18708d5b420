package io.etlpool.etl.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * SQL names, parsed and quoted in one place. A name a user writes (table, schema, partition column, key,
 * mapped column) is read the way PostgreSQL reads an identifier: parts split on unquoted dots, an
 * unquoted part folded to lower case ({@code Orders} is {@code orders}), a {@code "quoted"} part kept as
 * written with {@code ""} standing for one quote ({@code sales."Order Items"}). A column name the source
 * reported is already the real name and is only quoted. Names are never spliced into SQL raw.
 */
public final class Sql {

    private static final Pattern UNQUOTED = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_$]*");
    private static final Pattern CANONICAL = Pattern.compile("[a-z_][a-z0-9_$]*");
    private static final int MAX_LENGTH = 63; // NAMEDATALEN - 1: longer names are silently cut by PostgreSQL

    private Sql() {
    }

    /** One part of a written name: its real text, and whether it was quoted. */
    record Part(String name, boolean quoted) {
    }

    /**
     * The parts of a written name, at most {@code maxParts} of them; {@code what} names the setting in
     * the message when the name cannot be read.
     */
    static List<Part> parse(String written, String what, int maxParts) {
        if (written == null || written.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        List<Part> parts = new ArrayList<>();
        int i = 0;
        int n = written.length();
        while (true) {
            if (i < n && written.charAt(i) == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw bad(written, what, "a quote is not closed");
                    }
                    char c = written.charAt(i++);
                    if (c == '"') {
                        if (i < n && written.charAt(i) == '"') {
                            b.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        b.append(c);
                    }
                }
                if (b.length() == 0) {
                    throw bad(written, what, "\"\" is an empty name");
                }
                parts.add(new Part(checkLength(b.toString(), written, what), true));
            } else {
                int end = written.indexOf('.', i);
                String raw = written.substring(i, end < 0 ? n : end);
                if (!UNQUOTED.matcher(raw).matches()) {
                    throw bad(written, what, "'" + raw + "' needs double quotes (write \"" + raw.replace("\"", "\"\"")
                            + "\" for a name with spaces, capitals or other characters)");
                }
                parts.add(new Part(checkLength(foldCase(raw), written, what), false));
                i = end < 0 ? n : end;
            }
            if (i == n) {
                break;
            }
            if (written.charAt(i) != '.') {
                throw bad(written, what, "unexpected '" + written.charAt(i) + "' after a quoted name");
            }
            i++;
        }
        if (parts.size() > maxParts) {
            throw bad(written, what, maxParts == 1 ? "a dot outside quotes: quote the whole name"
                    : "more than " + (maxParts == 2 ? "schema.table" : maxParts + " parts"));
        }
        return parts;
    }

    /** PostgreSQL folds only ASCII letters of an unquoted name. */
    private static String foldCase(String raw) {
        StringBuilder b = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return b.toString();
    }

    private static String checkLength(String name, String written, String what) {
        if (name.length() > MAX_LENGTH) {
            throw bad(written, what, "longer than " + MAX_LENGTH + " characters");
        }
        return name;
    }

    private static IllegalArgumentException bad(String written, String what, String why) {
        return new IllegalArgumentException(what + " '" + written + "' is not a valid SQL name: " + why);
    }

    /** A real name, double-quoted, its quotes doubled. */
    static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /**
     * A written name in one spelling per real name, the way PostgreSQL's {@code quote_ident} writes it
     * (keywords aside): {@code Fact}, {@code fact} and {@code "fact"} are {@code fact}; {@code "Order Items"}
     * stays quoted. A schema is kept only where it was written.
     */
    static String canonical(String written, String what, int maxParts) {
        return parse(written, what, maxParts).stream()
                .map(p -> CANONICAL.matcher(p.name()).matches() ? p.name() : quote(p.name()))
                .collect(Collectors.joining("."));
    }

    /** A written {@code table} or {@code schema.table}, every part quoted. */
    public static String table(String written) {
        return parse(written, "table", 2).stream().map(p -> quote(p.name())).collect(Collectors.joining("."));
    }

    /** The real name of a written one-part name (a column or a schema). */
    public static String name(String written, String what) {
        return parse(written, what, 1).get(0).name();
    }

    /** Written column names (keys), quoted. */
    static String writtenColumns(List<String> written) {
        return written.stream().map(w -> quote(name(w, "column"))).collect(Collectors.joining(", "));
    }

    /** Real column names (as the source reported them), quoted. */
    static String columns(List<String> names) {
        return names.stream().map(Sql::quote).collect(Collectors.joining(", "));
    }

    /**
     * A written column name for the source query: an unquoted name stays unquoted, so that the source
     * folds its case the way it folds the query's own names (H2 to upper, PostgreSQL to lower); a quoted
     * one stays quoted.
     */
    static String sourceColumn(String written) {
        Part p = parse(written, "column", 1).get(0);
        return p.quoted() ? quote(p.name()) : p.name();
    }
}
