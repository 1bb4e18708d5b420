package io.etlpool.etl.internal;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Identifiers quoted for SQL; names that are not plain identifiers are refused, never spliced in raw. */
final class Sql {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

    private Sql() {
    }

    /** {@code name} or {@code schema.name}, each part double-quoted. */
    static String table(String name) {
        String[] parts = name.split("\\.", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("table '" + name + "' has more than schema.table");
        }
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            b.append(b.length() == 0 ? "" : ".").append(column(p));
        }
        return b.toString();
    }

    static String column(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a plain identifier (letters, digits, '_', "
                    + "starting with a letter or '_')");
        }
        return '"' + name + '"';
    }

    /**
     * A plain identifier left unquoted, for the source query: the source database folds its case the way
     * it folds the query's own names (H2 to upper, PostgreSQL to lower).
     */
    static String plain(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a plain identifier (letters, digits, '_', "
                    + "starting with a letter or '_')");
        }
        return name;
    }

    static String columns(List<String> names) {
        return names.stream().map(Sql::column).collect(Collectors.joining(", "));
    }
}
