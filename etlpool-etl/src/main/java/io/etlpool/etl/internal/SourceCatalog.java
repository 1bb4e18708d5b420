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
 * their primary key, the key column to partition on (a single integer, date or timestamp key column, or the
 * first column of a composite integer key whose values repeat little) and their generated columns.
 */
public final class SourceCatalog {

    private static final Set<String> PARTITION_TYPES = Set.of("smallint", "integer", "bigint", "date",
            "timestamp without time zone", "timestamp with time zone");
    private static final Set<String> INTEGER_TYPES = Set.of("smallint", "integer", "bigint");

    /**
     * A source table.
     *
     * @param schema          its schema
     * @param name            its name
     * @param inCurrentSchema whether its schema is the source session's current schema
     * @param primaryKey      its primary key columns, in key order (empty when it has none)
     * @param partitionColumn the primary key column when it is one integer, date or timestamp column, else null
     * @param leadingKey      the first column of a primary key of several columns when it is an integer column,
     *                        else null
     * @param leadingKeyRun   the most rows that share one value of {@code leadingKey}, as the source's statistics
     *                        estimate it, or -1 when they do not (never analyzed, or no leading key)
     * @param generated       its generated columns (the target computes them; a load does not read them)
     * @param loaded          its other columns, in order: what a load reads
     */
    public record Table(String schema, String name, boolean inCurrentSchema, List<String> primaryKey,
                        String partitionColumn, String leadingKey, long leadingKeyRun, List<String> generated,
                        List<String> loaded) {

        public Table {
            primaryKey = List.copyOf(primaryKey);
            generated = List.copyOf(generated);
            loaded = List.copyOf(loaded);
        }

        /** The table as a written SQL name: {@code name} in the current schema, else {@code schema.name}. */
        public String written() {
            String n = Sql.canonical(Sql.quote(name), "table", 1);
            return inCurrentSchema ? n : Sql.canonical(Sql.quote(schema), "schema", 1) + "." + n;
        }

        /**
         * The column to cut the table's key ranges on for a load of this chunk size, or null for one partition:
         * the single key column; else the first column of a composite integer key, unless the statistics say
         * (or cannot say) that one of its values may repeat on more rows than a chunk holds.
         *
         * <p>Exact: a partition reads its range {@code ORDER BY} that column alone and a chunk never ends between
         * two rows of one value ({@code PartitionTask}: chunks end only where the key changes), so the committed
         * last key, one value of the first column, says exactly which rows are in (every row up to and including
         * that value) and a resume reads {@code > last} with nothing missed or repeated. A value repeated on more
         * than ten chunks would stop the load (a chunk would grow without end), so a leading column whose values
         * repeat that much, or whose repetition is unknown, is not chosen.
         */
        public String partitionColumn(int chunkSize) {
            if (partitionColumn != null) {
                return partitionColumn;
            }
            return leadingKey != null && leadingKeyRun >= 0 && leadingKeyRun <= chunkSize ? leadingKey : null;
        }

        /**
         * The query a load of the whole table reads: {@code SELECT *}, or its loaded columns by name when it has
         * generated columns (a generated column takes no value: the target computes it).
         */
        public String select() {
            if (generated.isEmpty()) {
                return "SELECT * FROM " + written();
            }
            return "SELECT " + String.join(", ", loaded.stream().map(Table::column).toList()) + " FROM " + written();
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
                        + "c.oid AND a.attnum = k.attnum ORDER BY k.ord), "
                        // the estimated most rows sharing one value of the key's first column (pg_stats)
                        + "(SELECT CASE WHEN c.reltuples < 0 OR st.n_distinct IS NULL OR st.n_distinct = 0 THEN -1 "
                        + "ELSE ceil(greatest(c.reltuples * coalesce(st.most_common_freqs[1], 0), c.reltuples "
                        + "/ CASE WHEN st.n_distinct < 0 THEN -st.n_distinct * c.reltuples ELSE st.n_distinct END))::bigint END "
                        + "FROM pg_index i JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0] "
                        + "JOIN pg_stats st ON st.schemaname = n.nspname AND st.tablename = c.relname "
                        + "AND st.attname = a.attname AND NOT st.inherited "
                        + "WHERE i.indrelid = c.oid AND i.indisprimary AND c.relkind = 'r' LIMIT 1), "
                        + "ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 "
                        + "AND NOT a.attisdropped AND a.attgenerated <> '' ORDER BY a.attnum), "
                        + "ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 "
                        + "AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum) "
                        + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
                        + "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' "
                        + "AND c.relname NOT IN ('" + Checkpoints.TABLE + "', '" + RunLease.TABLE + "') "
                        + "ORDER BY 1, 2")) {
            while (rs.next()) {
                List<String> key = strings(rs.getArray(4));
                List<String> types = strings(rs.getArray(5));
                String partition = key.size() == 1 && PARTITION_TYPES.contains(types.get(0)) ? key.get(0) : null;
                String leading = key.size() > 1 && INTEGER_TYPES.contains(types.get(0)) ? key.get(0) : null;
                long run = rs.getObject(6) == null ? -1 : rs.getLong(6);
                out.add(new Table(rs.getString(1), rs.getString(2), rs.getBoolean(3), key, partition, leading,
                        leading == null ? -1 : run, strings(rs.getArray(7)), strings(rs.getArray(8))));
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
