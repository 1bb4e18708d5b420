package io.etlpool.etl.internal;

import io.etlpool.etl.EtlException;
import io.etlpool.etl.EtlJob;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** Creates a missing target table from the extraction's columns (after the column mapping). */
final class TableCreator {

    private TableCreator() {
    }

    /** Whether a written table name resolves; in a transaction, a missing table does not abort it. */
    static boolean exists(Connection target, String table) throws SQLException {
        Savepoint sp = target.getAutoCommit() ? null : target.setSavepoint();
        try (Statement s = target.createStatement()) {
            s.executeQuery("SELECT 1 FROM " + Sql.table(table) + " WHERE 1 = 0").close();
            if (sp != null) {
                target.releaseSavepoint(sp);
            }
            return true;
        } catch (SQLException e) {
            if (sp != null) {
                target.rollback(sp);
            }
            if ("42P01".equals(e.getSQLState()) || "42S02".equals(e.getSQLState()) || "42S04".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Creates the table with the source's column types: from a PostgreSQL source each column's declared
     * type ({@code format_type} of the source table's column: typmods, domains, enums, arrays and
     * extension types by name), its NOT NULL and its default when that needs only built-in objects (not a
     * sequence's nextval); an expression's type from the source's own {@code pg_typeof}. Indexes, other
     * constraints and foreign keys are not copied: the source is a query. A type the target database lacks is refused before anything is created.
     */
    static void create(EtlJob job, Connection source, Connection target) throws SQLException {
        List<String> names;
        List<String> types;
        List<Boolean> notNull;
        List<String> defaults;
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(Extraction.shape(job))) {
            ResultSetMetaData md = rs.getMetaData();
            names = Extraction.labels(md, 1, source.getMetaData().storesUpperCaseIdentifiers());
            if (PartitionTask.Sessions.isPostgres(source)) {
                SourceTypes pg = SourceTypes.describe(job, source, md);
                types = pg.types;
                notNull = pg.notNull;
                defaults = pg.defaults;
            } else {
                types = new ArrayList<>();
                notNull = new ArrayList<>();
                defaults = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    types.add(genericType(md, i));
                    notNull.add(md.isNullable(i) == ResultSetMetaData.columnNoNulls);
                    defaults.add(null);
                }
            }
        }
        List<String> defs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            requireType(job, target, names.get(i), types.get(i));
            defs.add(Sql.quote(names.get(i)) + " " + types.get(i)
                    + (defaults.get(i) == null ? "" : " DEFAULT " + defaults.get(i)) + (notNull.get(i) ? " NOT NULL" : ""));
        }
        try (Statement s = target.createStatement()) {
            s.execute("CREATE TABLE " + Sql.table(job.table()) + " (" + String.join(", ", defs)
                    + (job.key().isEmpty() ? "" : ", PRIMARY KEY (" + Sql.writtenColumns(job.key()) + ")") + ")");
        }
    }

    /** Refuses a column type the target database does not have (an enum, domain or extension type). */
    private static void requireType(EtlJob job, Connection target, String column, String type) throws SQLException {
        if (!PartitionTask.Sessions.isPostgres(target)) {
            return;
        }
        try (PreparedStatement ps = target.prepareStatement("SELECT to_regtype(?) IS NOT NULL")) {
            ps.setString(1, type);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new EtlException("job '" + job.name() + "': cannot create table " + job.table()
                            + ": column " + Sql.quote(column) + " is of type " + type + " in the source, and the "
                            + "target database has no such type. Create the type (or the extension) in the target "
                            + "first, or create the table yourself");
                }
            }
        }
    }

    private static String genericType(ResultSetMetaData md, int i) throws SQLException {
        switch (md.getColumnType(i)) {
            case Types.TINYINT:
            case Types.SMALLINT:
                return "smallint";
            case Types.INTEGER:
                return "integer";
            case Types.BIGINT:
                return "bigint";
            case Types.REAL:
                return "real";
            case Types.FLOAT:
            case Types.DOUBLE:
                return "double precision";
            case Types.DECIMAL:
            case Types.NUMERIC:
                return md.getPrecision(i) > 0 && md.getPrecision(i) <= 1000
                        ? "numeric(" + md.getPrecision(i) + ", " + md.getScale(i) + ")" : "numeric";
            case Types.BOOLEAN:
            case Types.BIT:
                return "boolean";
            case Types.DATE:
                return "date";
            case Types.TIME:
                return "time";
            case Types.TIME_WITH_TIMEZONE:
                return "timetz";
            case Types.TIMESTAMP:
                return "timestamp";
            case Types.TIMESTAMP_WITH_TIMEZONE:
                return "timestamptz";
            case Types.BINARY:
            case Types.VARBINARY:
            case Types.LONGVARBINARY:
            case Types.BLOB:
                return "bytea";
            default:
                return "text";
        }
    }
}
