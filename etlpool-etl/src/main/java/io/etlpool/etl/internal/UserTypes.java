package io.etlpool.etl.internal;

import io.etlpool.etl.EtlException;
import io.etlpool.etl.internal.TableDefinition.UserType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The user types columns need: read from the source (enums, domains, composites, and the types they are
 * built on, each before its users), then found or created on the target. A type of another kind (a
 * range, a base type, an extension's type) must already exist there; it is refused by name otherwise.
 */
final class UserTypes {

    private final Connection source;
    /** oid → type, or null for a built-in type; filled as types are read. */
    private final Map<Long, UserType> read = new HashMap<>();
    /** oid → the user types it needs, itself last. */
    private final Map<Long, List<UserType>> closure = new HashMap<>();

    UserTypes(Connection source) {
        this.source = source;
    }

    /** The user types the given types need, each once, each after what it is built on. */
    List<UserType> needed(List<Long> typeOids) throws SQLException {
        Map<String, UserType> out = new LinkedHashMap<>();
        for (long oid : typeOids) {
            for (UserType t : closureOf(oid)) {
                out.putIfAbsent(t.name(), t);
            }
        }
        return new ArrayList<>(out.values());
    }

    private List<UserType> closureOf(long oid) throws SQLException {
        List<UserType> known = closure.get(oid);
        if (known != null) {
            return known;
        }
        List<UserType> out = new ArrayList<>();
        closure.put(oid, out); // a composite cannot contain itself; this only stops a loop
        try (PreparedStatement ps = source.prepareStatement("SELECT t.typtype, t.typcategory, t.typelem, t.typbasetype, "
                + "t.typrelid, n.nspname, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(t.typname), "
                + "(SELECT e.extname FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid "
                + "WHERE d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objid = t.oid "
                + "AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.deptype = 'e'), "
                + "pg_catalog.format_type(t.typbasetype, t.typtypmod), t.typnotnull, "
                + "pg_catalog.pg_get_expr(t.typdefaultbin, 0), "
                + "CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation THEN "
                + "pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END, "
                + "(SELECT r.relkind FROM pg_catalog.pg_class r WHERE r.oid = t.typrelid) "
                + "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
                + "LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype "
                + "LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation "
                + "LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE t.oid = ?")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                char kind = rs.getString(1).charAt(0);
                String schema = rs.getString(6);
                String name = rs.getString(7);
                String extension = rs.getString(8);
                if ("pg_catalog".equals(schema) || "information_schema".equals(schema)) {
                    return out;
                }
                if ("A".equals(rs.getString(2)) && rs.getLong(3) != 0) {
                    out.addAll(closureOf(rs.getLong(3))); // an array: its element type
                    return out;
                }
                if (extension != null) {
                    out.add(new UserType(name, schema, 'x', null, List.of(), extension));
                    return out;
                }
                switch (kind) {
                    case 'e':
                        List<String> labels = labels(oid);
                        out.add(new UserType(name, schema, kind, "CREATE TYPE " + name + " AS ENUM ("
                                + String.join(", ", labels.stream().map(UserTypes::literal).toList()) + ")", labels, null));
                        break;
                    case 'd':
                        out.addAll(closureOf(rs.getLong(4)));
                        out.add(new UserType(name, schema, kind, domain(oid, name, rs.getString(9), rs.getString(12),
                                rs.getString(11), rs.getBoolean(10)), List.of(), null));
                        break;
                    case 'c':
                        if (!"c".equals(rs.getString(13))) {
                            out.add(new UserType(name, schema, 'r', null, List.of(), null)); // a table's row type
                        } else {
                            out.addAll(composite(rs.getLong(5), name, schema));
                        }
                        break;
                    default:
                        out.add(new UserType(name, schema, kind, null, List.of(), null));
                }
            }
        }
        return out;
    }

    private List<String> labels(long oid) throws SQLException {
        List<String> labels = new ArrayList<>();
        try (PreparedStatement ps = source.prepareStatement(
                "SELECT enumlabel FROM pg_catalog.pg_enum WHERE enumtypid = ? ORDER BY enumsortorder")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    labels.add(rs.getString(1));
                }
            }
        }
        return labels;
    }

    private String domain(long oid, String name, String base, String collation, String defaultSql, boolean notNull)
            throws SQLException {
        StringBuilder b = new StringBuilder("CREATE DOMAIN " + name + " AS " + base);
        if (collation != null) {
            b.append(" COLLATE ").append(collation);
        }
        if (defaultSql != null) {
            b.append(" DEFAULT ").append(defaultSql);
        }
        if (notNull) {
            b.append(" NOT NULL");
        }
        try (PreparedStatement ps = source.prepareStatement("SELECT pg_catalog.quote_ident(conname), "
                + "pg_catalog.pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint WHERE contypid = ? "
                + "AND contype = 'c' ORDER BY conname")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    b.append(" CONSTRAINT ").append(rs.getString(1)).append(' ').append(rs.getString(2));
                }
            }
        }
        return b.toString();
    }

    /** A composite's attribute types first, then the composite. */
    private List<UserType> composite(long relid, String name, String schema) throws SQLException {
        List<UserType> out = new ArrayList<>();
        List<TableDefinition.Column> attributes = new ArrayList<>();
        List<Long> attributeTypes = new ArrayList<>();
        SchemaReader.readColumns(source, relid, attributes, attributeTypes);
        for (long t : attributeTypes) {
            out.addAll(closureOf(t));
        }
        List<String> defs = new ArrayList<>();
        for (TableDefinition.Column a : attributes) {
            defs.add(a.declaration());
        }
        out.add(new UserType(name, schema, 'c', "CREATE TYPE " + name + " AS (" + String.join(", ", defs) + ")",
                List.of(), null));
        return out;
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /**
     * Makes sure each type exists on the target: an enum there must have every source label; a missing
     * enum, domain or composite is created (with its schema when that is missing too); any other missing
     * type is refused, naming the table that needs it. Everything is checked before anything is created.
     */
    static void ensure(Connection target, List<TableDefinition> tables) throws SQLException {
        for (UserType u : check(target, tables, true)) {
            Schemas.ensure(target, u.schema());
            try (Statement s = target.createStatement()) {
                s.execute(u.createSql());
            }
        }
    }

    /**
     * Refuses an enum on the target that lacks a source label (its rows would fail mid-load) and, when
     * {@code refuseMissing}, a missing type that cannot be created; returns the missing ones that can.
     */
    static List<UserType> check(Connection target, List<TableDefinition> tables, boolean refuseMissing)
            throws SQLException {
        Map<String, UserType> all = new LinkedHashMap<>();
        Map<String, String> neededBy = new HashMap<>();
        for (TableDefinition t : tables) {
            for (UserType u : t.types()) {
                all.putIfAbsent(u.name(), u);
                neededBy.putIfAbsent(u.name(), t.source().toString());
            }
        }
        List<UserType> missing = new ArrayList<>();
        for (UserType u : all.values()) {
            List<String> labels = labelsOn(target, u.name());
            if (labels != null) {
                if (u.kind() == 'e' && !labels.containsAll(u.labels())) {
                    List<String> absent = new ArrayList<>(u.labels());
                    absent.removeAll(labels);
                    throw new EtlException("enum type " + u.name() + " (needed by table " + neededBy.get(u.name())
                            + ") exists on the target without the label(s) " + absent + " the source has: add them "
                            + "(ALTER TYPE ... ADD VALUE) or drop the type so that it is created");
                }
            } else if (u.createSql() == null) {
                if (refuseMissing) {
                    throw new EtlException("type " + u.name() + " (needed by table " + neededBy.get(u.name())
                            + ") does not exist on the target, and etlpool creates only enums, domains and composite "
                            + "types: " + (u.extension() != null ? "CREATE EXTENSION " + u.extension()
                            + " (in the same schema) on the target first" : "create it on the target first"));
                }
            } else {
                missing.add(u);
            }
        }
        return missing;
    }

    /** null when the type does not exist on the target; else its enum labels (empty for other kinds). */
    private static List<String> labelsOn(Connection target, String name) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("SELECT pg_catalog.to_regtype(?)::oid, "
                + "ARRAY(SELECT enumlabel::text FROM pg_catalog.pg_enum WHERE enumtypid = pg_catalog.to_regtype(?) "
                + "ORDER BY enumsortorder)")) {
            ps.setString(1, name);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                rs.getLong(1);
                if (rs.wasNull()) {
                    return null;
                }
                return List.of((String[]) rs.getArray(2).getArray());
            }
        }
    }
}
