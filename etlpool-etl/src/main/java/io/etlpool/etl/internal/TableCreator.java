package io.etlpool.etl.internal;

import io.etlpool.etl.EtlJob;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Creates a missing target table from the extraction's columns (after the column mapping). */
final class TableCreator {

    private TableCreator() {
    }

    static boolean exists(Connection target, String table) throws SQLException {
        Savepoint sp = target.setSavepoint();
        try (Statement s = target.createStatement()) {
            s.executeQuery("SELECT 1 FROM " + Sql.table(table) + " WHERE 1 = 0").close();
            target.releaseSavepoint(sp);
            return true;
        } catch (SQLException e) {
            target.rollback(sp);
            if ("42P01".equals(e.getSQLState()) || "42S02".equals(e.getSQLState()) || "42S04".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    static void create(EtlJob job, Connection source, Connection target) throws SQLException {
        List<String> defs = new ArrayList<>();
        boolean pgSource = PartitionTask.Sessions.isPostgres(source);
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(Extraction.shape(job))) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> names = Extraction.labels(md, 1, source.getMetaData().storesUpperCaseIdentifiers());
            for (int i = 1; i <= md.getColumnCount(); i++) {
                defs.add(Sql.column(names.get(i - 1)) + " " + (pgSource ? pgType(md, i) : genericType(md, i)));
            }
        }
        try (Statement s = target.createStatement()) {
            s.execute("CREATE TABLE " + Sql.table(job.table()) + " (" + String.join(", ", defs)
                    + (job.key().isEmpty() ? "" : ", PRIMARY KEY (" + Sql.columns(job.key()) + ")") + ")");
        }
    }

    private static String pgType(ResultSetMetaData md, int i) throws SQLException {
        String t = md.getColumnTypeName(i).toLowerCase(Locale.ROOT);
        switch (t) {
            case "int2":
                return "smallint";
            case "int4":
            case "serial":
                return "integer";
            case "int8":
            case "bigserial":
                return "bigint";
            case "float4":
                return "real";
            case "float8":
                return "double precision";
            case "bool":
                return "boolean";
            case "bpchar":
                return "char(" + md.getPrecision(i) + ")";
            case "varchar":
                return md.getPrecision(i) > 0 && md.getPrecision(i) < 10_485_760 ? "varchar(" + md.getPrecision(i) + ")" : "varchar";
            case "numeric":
                return md.getPrecision(i) > 0 && md.getPrecision(i) <= 1000
                        ? "numeric(" + md.getPrecision(i) + ", " + md.getScale(i) + ")" : "numeric";
            default:
                return t.startsWith("_") ? t.substring(1) + "[]" : t;
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
