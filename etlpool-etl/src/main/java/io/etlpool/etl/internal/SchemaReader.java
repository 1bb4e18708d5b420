package io.etlpool.etl.internal;

import io.etlpool.etl.EtlException;
import io.etlpool.etl.internal.TableDefinition.Column;
import io.etlpool.etl.internal.TableDefinition.Constraint;
import io.etlpool.etl.internal.TableDefinition.Index;
import io.etlpool.etl.internal.TableDefinition.SequenceDefinition;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads tables' definitions from a PostgreSQL source's catalog ({@link TableDefinition}). */
final class SchemaReader {

    private final Connection source;
    private final UserTypes types;

    private SchemaReader(Connection source) {
        this.source = source;
        this.types = new UserTypes(source);
    }

    /** The definitions of the written table names (resolved with the connection's search_path), in order. */
    static List<TableDefinition> read(Connection source, List<String> tables) throws SQLException {
        List<Long> oids = new ArrayList<>();
        for (String written : tables) {
            oids.add(resolve(source, written));
        }
        SchemaReader reader = new SchemaReader(source);
        return CatalogSession.qualified(source, () -> {
            List<TableDefinition> out = new ArrayList<>();
            for (long oid : oids) {
                out.add(reader.table(oid));
            }
            return out;
        });
    }

    private static long resolve(Connection source, String written) throws SQLException {
        try (PreparedStatement ps = source.prepareStatement("SELECT pg_catalog.to_regclass(?)::oid")) {
            ps.setString(1, Sql.table(written));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long oid = rs.getLong(1);
                if (rs.wasNull()) {
                    throw new EtlException("table " + written + " does not exist in the source database (as its "
                            + "search_path resolves the name): check the name, or qualify it with its schema");
                }
                return oid;
            }
        }
    }

    private TableDefinition table(long oid) throws SQLException {
        TableName name;
        boolean unlogged;
        List<String> notCopied = new ArrayList<>();
        String regclass;
        try (PreparedStatement ps = source.prepareStatement("SELECT n.nspname, c.relname, c.relkind, c.relpersistence, "
                + "c.relispartition, c.relrowsecurity, c.reloftype <> 0, "
                + "(SELECT string_agg(i.inhparent::regclass::text, ', ') FROM pg_catalog.pg_inherits i "
                + "WHERE i.inhrelid = c.oid), "
                + "EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhparent = c.oid), c.oid::regclass::text "
                + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ?")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                name = new TableName(rs.getString(1), rs.getString(2));
                String kind = rs.getString(3);
                if ("p".equals(kind)) {
                    throw new EtlException("table " + name + " is partitioned: etlpool does not copy a partitioned "
                            + "table's definition. Create it and its partitions on the target yourself, and load it "
                            + "into that existing table");
                }
                if (!"r".equals(kind)) {
                    throw new EtlException(name + " is not a table (a view, materialized view, foreign table or "
                            + "sequence): only tables' definitions are copied. Create the target table yourself, or "
                            + "load it from a query");
                }
                unlogged = "u".equals(rs.getString(4));
                if (rs.getBoolean(5)) {
                    notCopied.add("it is a partition of " + rs.getString(8) + ": created as a plain table");
                } else if (rs.getString(8) != null) {
                    notCopied.add("it inherits from " + rs.getString(8) + ": created as a plain table");
                }
                if (rs.getBoolean(6)) {
                    notCopied.add("row-level security (enabled on the source)");
                }
                if (rs.getBoolean(7)) {
                    notCopied.add("it is a typed table (OF a composite type): created as a plain table");
                }
                if (rs.getBoolean(9)) {
                    notCopied.add("it has inheritance children: a query on it reads their rows too (use FROM ONLY)");
                }
                regclass = rs.getString(10);
            }
        }
        List<Column> columns = new ArrayList<>();
        List<Long> typeOids = new ArrayList<>();
        readColumns(source, oid, columns, typeOids);
        List<SequenceDefinition> sequences = readSequences(oid);
        List<Constraint> constraints = readConstraints(oid);
        List<Index> indexes = readIndexes(oid, regclass, notCopied);
        readNotCopied(oid, notCopied);
        return new TableDefinition(name, unlogged, columns, constraints, indexes, sequences, types.needed(typeOids),
                notCopied);
    }

    /** The columns of a table (or a composite type's attributes) and each one's type oid. */
    static void readColumns(Connection source, long oid, List<Column> columns, List<Long> typeOids)
            throws SQLException {
        try (PreparedStatement ps = source.prepareStatement("SELECT a.attname, pg_catalog.format_type(a.atttypid, "
                + "a.atttypmod), CASE WHEN a.attcollation <> t.typcollation THEN "
                + "pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END, a.attnotnull, "
                + "pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, a.atttypid "
                + "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
                + "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                + "LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation "
                + "LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace "
                + "WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new Column(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                            rs.getString(5), flag(rs.getString(6)), flag(rs.getString(7))));
                    typeOids.add(rs.getLong(8));
                }
            }
        }
    }

    private static char flag(String s) {
        return s == null || s.isEmpty() ? 0 : s.charAt(0);
    }

    /** Owned sequences (serial 'a', identity 'i') and sequences a default depends on, once each. */
    private List<SequenceDefinition> readSequences(long oid) throws SQLException {
        String columns = "s.oid, sn.nspname, s.relname, pg_catalog.quote_literal(s.oid::regclass::text) || '::regclass', "
                + "pg_catalog.format_type(q.seqtypid, NULL), 'START WITH ' || q.seqstart || ' INCREMENT BY ' || "
                + "q.seqincrement || ' MINVALUE ' || q.seqmin || ' MAXVALUE ' || q.seqmax || ' CACHE ' || q.seqcache "
                + "|| CASE WHEN q.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END";
        String sql = "SELECT " + columns + ", a.attname, d.deptype = 'i' "
                + "FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class s ON s.oid = d.objid "
                + "JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace "
                + "JOIN pg_catalog.pg_sequence q ON q.seqrelid = s.oid "
                + "JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
                + "WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
                + "AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = ? "
                + "AND d.deptype IN ('a', 'i') AND s.relkind = 'S' "
                + "UNION ALL SELECT " + columns + ", NULL, false "
                + "FROM pg_catalog.pg_attrdef ad JOIN pg_catalog.pg_depend d "
                + "ON d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND d.objid = ad.oid "
                + "AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass "
                + "JOIN pg_catalog.pg_class s ON s.oid = d.refobjid AND s.relkind = 'S' "
                + "JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace "
                + "JOIN pg_catalog.pg_sequence q ON q.seqrelid = s.oid WHERE ad.adrelid = ? ORDER BY 3";
        Map<Long, String[]> found = new LinkedHashMap<>();
        try (PreparedStatement ps = source.prepareStatement(sql)) {
            ps.setLong(1, oid);
            ps.setLong(2, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String[] row = {rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getString(7), String.valueOf(rs.getBoolean(8))};
                    String[] before = found.get(rs.getLong(1));
                    if (before == null || before[5] == null) { // the owned entry wins over the default's
                        found.put(rs.getLong(1), row);
                    }
                }
            }
        }
        List<SequenceDefinition> out = new ArrayList<>();
        for (String[] row : found.values()) {
            out.add(current(source, new SequenceDefinition(new TableName(row[0], row[1]), row[2], row[5],
                    Boolean.parseBoolean(row[6]), row[4], row[3], 0, false)));
        }
        return out;
    }

    /** The sequence with its last_value and is_called as the source has them now. */
    static SequenceDefinition current(Connection source, SequenceDefinition s) throws SQLException {
        try (Statement st = source.createStatement();
             ResultSet rs = st.executeQuery("SELECT last_value, is_called FROM " + s.source().quoted())) {
            rs.next();
            return new SequenceDefinition(s.source(), s.literal(), s.ownedBy(), s.identity(), s.options(), s.dataType(),
                    rs.getLong(1), rs.getBoolean(2));
        }
    }

    private List<Constraint> readConstraints(long oid) throws SQLException {
        List<Constraint> out = new ArrayList<>();
        try (PreparedStatement ps = source.prepareStatement("SELECT k.conname, k.contype, "
                + "pg_catalog.pg_get_constraintdef(k.oid), rn.nspname, rc.relname, k.confrelid::regclass::text "
                + "FROM pg_catalog.pg_constraint k LEFT JOIN pg_catalog.pg_class rc ON rc.oid = k.confrelid "
                + "LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace "
                + "WHERE k.conrelid = ? AND k.contype IN ('p', 'u', 'x', 'c', 'f') ORDER BY k.conname")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    char kind = rs.getString(2).charAt(0);
                    boolean fk = kind == Constraint.FOREIGN_KEY;
                    out.add(new Constraint(rs.getString(1), kind, rs.getString(3),
                            fk ? new TableName(rs.getString(4), rs.getString(5)) : null, fk ? rs.getString(6) : null));
                }
            }
        }
        return out;
    }

    /** Indexes no constraint owns; their definition after {@code ON table}. */
    private List<Index> readIndexes(long oid, String regclass, List<String> notCopied) throws SQLException {
        List<Index> out = new ArrayList<>();
        try (PreparedStatement ps = source.prepareStatement("SELECT ic.relname, i.indisunique, "
                + "pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.quote_ident(ic.relname), i.indisvalid "
                + "FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
                + "WHERE i.indrelid = ? AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k "
                + "WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')) "
                + "ORDER BY ic.relname")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getBoolean(5)) {
                        notCopied.add("index " + rs.getString(4) + " (invalid on the source: a failed concurrent build)");
                        continue;
                    }
                    boolean unique = rs.getBoolean(2);
                    String def = rs.getString(3);
                    String prefix = "CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + rs.getString(4) + " ON " + regclass
                            + " ";
                    if (!def.startsWith(prefix)) {
                        throw new EtlException("cannot read the definition of index " + rs.getString(4) + " on "
                                + regclass + ": '" + def + "' does not start as expected ('" + prefix + "')");
                    }
                    out.add(new Index(rs.getString(1), unique, def.substring(prefix.length())));
                }
            }
        }
        return out;
    }

    private void readNotCopied(long oid, List<String> notCopied) throws SQLException {
        try (PreparedStatement ps = source.prepareStatement(
                "SELECT 'trigger ' || pg_catalog.quote_ident(tgname) FROM pg_catalog.pg_trigger "
                        + "WHERE tgrelid = ? AND NOT tgisinternal "
                        + "UNION ALL SELECT 'row-level security policy ' || pg_catalog.quote_ident(polname) "
                        + "FROM pg_catalog.pg_policy WHERE polrelid = ? "
                        + "UNION ALL SELECT 'rule ' || pg_catalog.quote_ident(rulename) FROM pg_catalog.pg_rewrite "
                        + "WHERE ev_class = ? AND rulename <> '_RETURN' "
                        + "UNION ALL SELECT 'extended statistics ' || pg_catalog.quote_ident(stxname) "
                        + "FROM pg_catalog.pg_statistic_ext WHERE stxrelid = ? ORDER BY 1")) {
            for (int i = 1; i <= 4; i++) {
                ps.setLong(i, oid);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    notCopied.add(rs.getString(1));
                }
            }
        }
    }
}
