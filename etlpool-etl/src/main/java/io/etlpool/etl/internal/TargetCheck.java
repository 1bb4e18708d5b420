package io.etlpool.etl.internal;

import io.etlpool.etl.EtlException;
import io.etlpool.etl.internal.TableDefinition.Column;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether existing target tables take what a load writes: the source's columns, by name, and every label
 * of the source's enums.
 */
final class TargetCheck {

    /** A target column as its catalog says. */
    private record TargetColumn(String type, boolean notNull, boolean generated, boolean filled) {
    }

    private TargetCheck() {
    }

    /** Every problem of every table, one message; nothing when they all fit. */
    static void check(Connection target, List<TableDefinition> tables, TargetNames names) throws SQLException {
        UserTypes.check(target, tables, false);
        List<String> problems = CatalogSession.qualified(target, () -> {
            List<String> out = new ArrayList<>();
            for (TableDefinition t : tables) {
                problems(target, t, names.of(t.source()), out);
            }
            return out;
        });
        if (!problems.isEmpty()) {
            throw new EtlException("the target does not take what the load would write, so nothing was loaded: "
                    + String.join("; ", problems) + ". Change or drop the target table (a missing table is created "
                    + "from the source's definition), or load into another table");
        }
    }

    private static void problems(Connection target, TableDefinition t, TableName to, List<String> out)
            throws SQLException {
        Map<String, TargetColumn> columns = columns(target, to);
        if (columns == null) {
            out.add("table " + to + " does not exist on the target");
            return;
        }
        Set<String> written = new HashSet<>();
        for (Column c : t.loadedColumns()) {
            written.add(c.name());
            TargetColumn tc = columns.get(c.name());
            String where = "table " + to + ", column " + Sql.quote(c.name());
            if (tc == null) {
                out.add(where + " (source type " + c.type() + ") does not exist on the target");
            } else if (tc.generated()) {
                out.add(where + " is a generated column on the target, which cannot be written (source type "
                        + c.type() + ")");
            } else if (!TypeFit.fits(c.type(), tc.type())) {
                out.add(where + ": source type " + c.type() + ", target type " + tc.type());
            } else if (tc.notNull() && !c.notNull()) {
                out.add(where + " is NOT NULL on the target but nullable in the source (type " + c.type() + ")");
            }
        }
        columns.forEach((name, tc) -> {
            if (!written.contains(name) && tc.notNull() && !tc.filled()) {
                out.add("table " + to + ", column " + Sql.quote(name) + " (target type " + tc.type() + ") is NOT NULL "
                        + "without a default on the target, and the source has no such column");
            }
        });
    }

    /** name → column of the target table, or null when there is no such table. */
    private static Map<String, TargetColumn> columns(Connection target, TableName to) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("SELECT c.oid, a.attname, "
                + "pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attgenerated <> '', "
                + "a.atthasdef OR a.attidentity <> '' FROM pg_catalog.pg_class c "
                + "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
                + "WHERE c.oid = pg_catalog.to_regclass(?) ORDER BY a.attnum")) {
            ps.setString(1, to.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                Map<String, TargetColumn> out = null;
                while (rs.next()) {
                    if (out == null) {
                        out = new LinkedHashMap<>();
                    }
                    if (rs.getString(2) != null) {
                        out.put(rs.getString(2), new TargetColumn(rs.getString(3), rs.getBoolean(4), rs.getBoolean(5),
                                rs.getBoolean(6)));
                    }
                }
                return out;
            }
        }
    }
}
