package io.etlpool.etl.internal;

import io.etlpool.etl.EtlJob;
import org.postgresql.PGResultSetMetaData;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The declared types of a PostgreSQL source's result columns, as SQL type names that recreate them.
 * A column that comes straight from a table gets that column's {@code format_type(atttypid, atttypmod)}
 * and NOT NULL from the source's catalog (the wire protocol reports a domain as its base type, the
 * catalog by its name). An expression gets the type {@code pg_typeof} names (a domain or enum by its
 * name), with the length, precision or scale the driver reports for the types that have one.
 */
final class SourceTypes {

    final List<String> types = new ArrayList<>();
    final List<Boolean> notNull = new ArrayList<>();
    /**
     * A table column's default when it needs nothing but built-in objects (no sequence, user function or
     * type, which the target may lack), else null.
     */
    final List<String> defaults = new ArrayList<>();

    private SourceTypes() {
    }

    static SourceTypes describe(EtlJob job, Connection source, ResultSetMetaData md) throws SQLException {
        SourceTypes t = new SourceTypes();
        PGResultSetMetaData pg = md.unwrap(PGResultSetMetaData.class);
        List<String> expressionTypes = null;
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String table = pg.getBaseTableName(i);
            String column = pg.getBaseColumnName(i);
            if (table != null && !table.isEmpty() && column != null && !column.isEmpty()
                    && tableColumn(source, pg.getBaseSchemaName(i), table, column, t)) {
                continue;
            }
            if (expressionTypes == null) {
                expressionTypes = typeOf(job, source, md, "::text");
            }
            t.types.add(withModifier(expressionTypes.get(i - 1), md, i));
            t.notNull.add(false);
            t.defaults.add(null);
        }
        return t;
    }

    private static boolean tableColumn(Connection source, String schema, String table, String column, SourceTypes t)
            throws SQLException {
        try (PreparedStatement ps = source.prepareStatement("SELECT format_type(a.atttypid, a.atttypmod), a.attnotnull, "
                + "CASE WHEN a.attgenerated = '' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep "
                + "WHERE dep.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND dep.objid = d.oid "
                + "AND dep.refobjid <> c.oid) THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END "
                + "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
                + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                + "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                + "WHERE n.nspname = ? AND c.relname = ? AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            ps.setString(3, column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                t.types.add(rs.getString(1));
                t.notNull.add(rs.getBoolean(2));
                t.defaults.add(rs.getString(3));
                return true;
            }
        }
    }

    /**
     * pg_typeof of every column, cast by {@code as} ({@code ::text} for its name, {@code ::oid::text} for
     * its oid): one row of NULLs that still carry their types (an outer join to no rows).
     */
    static List<String> typeOf(EtlJob job, Connection source, ResultSetMetaData md, String as) throws SQLException {
        List<String> select = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            select.add("pg_typeof(shape." + Sql.quote(md.getColumnLabel(i)) + ")" + as);
        }
        List<String> types = new ArrayList<>();
        try (Statement s = source.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + String.join(", ", select) + " FROM (VALUES (1)) one LEFT JOIN ("
                     + Extraction.shape(job) + ") shape ON true")) {
            rs.next();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                types.add(rs.getString(i));
            }
        }
        return types;
    }

    /** The typmod the driver reports for an expression's type, where the type has one. */
    private static String withModifier(String type, ResultSetMetaData md, int i) throws SQLException {
        int precision = md.getPrecision(i);
        switch (type.toLowerCase(Locale.ROOT)) {
            case "numeric":
                return precision > 0 && precision <= 1000 ? "numeric(" + precision + ", " + md.getScale(i) + ")" : type;
            case "character varying":
            case "character":
            case "bit":
            case "bit varying":
                return precision > 0 && precision < 10_485_760 ? type + "(" + precision + ")" : type;
            default:
                return type;
        }
    }
}
