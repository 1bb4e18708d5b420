package io.etlpool.etl.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The tables of a PostgreSQL source, for {@code tables: [sales.*]} patterns: ordinary and partitioned tables
 * outside the system schemas (not etlpool's own state tables, not the partitions of a partitioned table), with
 * their primary key, and the key column to partition on when it is a single integer, date or timestamp
 * column.
 */
public final class SourceCatalog {

    private static final Set<String> PARTITION_TYPES = Set.of("smallint", "integer", "bigint", "date",
            "timestamp without time zone", "timestamp with time zone");

    /**
     * A source table.
     *
     * @param schema          its schema
     * @param name            its name
     * @param inCurrentSchema whether its schema is the source session's current schema
     * @param primaryKey      its primary key columns, in key order (empty when it has none)
     * @param partitionColumn the primary key column when it is one integer, date or timestamp column, else null
     */
    public record Table(String schema, String name, boolean inCurrentSchema, List<String> primaryKey,
                        String partitionColumn) {

        /** The table as a written SQL name: {@code name} in the current schema, else {@code schema.name}. */
        public String written() {
            String n = Sql.canonical(Sql.quote(name), "table", 1);
            return inCurrentSchema ? n : Sql.canonical(Sql.quote(schema), "schema", 1) + "." + n;
        }

        /** The table's columns as written names (quoted where needed), for a key or partition setting. */
        public static String column(String real) {
            return Sql.canonical(Sql.quote(real), "column", 1);
        }
    }

    private SourceCatalog() {
    }

    /** Every table of the source, ordered by schema and name. */
    public static List<Table> tables(Connection source) throws SQLException {
        List<Table> out = new ArrayList<>();
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT n.nspname, c.relname, n.nspname = current_schema(), "
                        + "ARRAY(SELECT a.attname FROM pg_index i, unnest(i.indkey) WITH ORDINALITY k(attnum, ord), "
                        + "pg_attribute a WHERE i.indrelid = c.oid AND i.indisprimary AND a.attrelid = c.oid "
                        + "AND a.attnum = k.attnum ORDER BY k.ord), "
                        + "ARRAY(SELECT format_type(a.atttypid, NULL) FROM pg_index i, unnest(i.indkey) WITH ORDINALITY "
                        + "k(attnum, ord), pg_attribute a WHERE i.indrelid = c.oid AND i.indisprimary AND a.attrelid = "
                        + "c.oid AND a.attnum = k.attnum ORDER BY k.ord) "
                        + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
                        + "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' "
                        + "AND c.relname NOT IN ('" + Checkpoints.TABLE + "', '" + RunLease.TABLE + "') "
                        + "ORDER BY 1, 2")) {
            while (rs.next()) {
                List<String> key = strings(rs.getArray(4));
                List<String> types = strings(rs.getArray(5));
                String partition = key.size() == 1 && PARTITION_TYPES.contains(types.get(0)) ? key.get(0) : null;
                out.add(new Table(rs.getString(1), rs.getString(2), rs.getBoolean(3), key, partition));
            }
        }
        return out;
    }

    private static List<String> strings(Array a) throws SQLException {
        List<String> out = new ArrayList<>();
        if (a != null) {
            for (Object o : (Object[]) a.getArray()) {
                out.add((String) o);
            }
        }
        return out;
    }

    /**
     * The tables a pattern names: {@code schema.table} or {@code table} (in the current schema), where {@code *}
     * stands for any characters and {@code ?} for one; unquoted letters are folded to lower case, as SQL names
     * are, so {@code Sales.*} is {@code sales.*}; a part in double quotes is matched as written.
     */
    public static List<Table> matching(List<Table> tables, String pattern) {
        String[] parts = split(pattern);
        Pattern schema = parts[0] == null ? null : glob(parts[0]);
        Pattern name = glob(parts[1]);
        List<Table> out = new ArrayList<>();
        for (Table t : tables) {
            boolean schemaMatches = schema == null ? t.inCurrentSchema() : schema.matcher(t.schema()).matches();
            if (schemaMatches && name.matcher(t.name()).matches()) {
                out.add(t);
            }
        }
        return out;
    }

    /** [schema or null, name], each folded unless quoted. */
    private static String[] split(String pattern) {
        String p = pattern.trim();
        int dot = -1;
        boolean quoted = false;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '.' && !quoted) {
                dot = i;
                break;
            }
        }
        if (p.isEmpty() || dot == 0 || dot == p.length() - 1) {
            throw new IllegalArgumentException("table pattern '" + pattern + "' is empty on one side of its dot: "
                    + "write schema.table, e.g. sales.*");
        }
        return dot < 0 ? new String[] {null, fold(p)} : new String[] {fold(p.substring(0, dot)), fold(p.substring(dot + 1))};
    }

    private static String fold(String part) {
        if (part.length() >= 2 && part.startsWith("\"") && part.endsWith("\"")) {
            return part.substring(1, part.length() - 1).replace("\"\"", "\"");
        }
        return part.toLowerCase(Locale.ROOT);
    }

    private static Pattern glob(String g) {
        StringBuilder b = new StringBuilder();
        for (char c : g.toCharArray()) {
            b.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(b.toString(), Pattern.DOTALL);
    }
}
