package io.etlpool.etl;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares two tables on the server by the text form of their whole rows (the types' own output
 * functions, so no lossy cast can hide a difference): the rows of each that the other lacks, as a
 * multiset, and the row counts.
 */
final class RowDiff {

    private RowDiff() {
    }

    /** "" when both tables hold the same rows; otherwise the counts and the differing rows' text. */
    static String between(Connection c, String source, String target) throws SQLException {
        List<String> out = new ArrayList<>();
        long sourceRows = count(c, source);
        long targetRows = count(c, target);
        if (sourceRows != targetRows) {
            out.add(source + " has " + sourceRows + " rows, " + target + " " + targetRows);
        }
        missing(c, source, target, out);
        missing(c, target, source, out);
        return String.join("\n", out);
    }

    private static void missing(Connection c, String from, String other, List<String> out) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT whole_row::text FROM " + from + " whole_row EXCEPT ALL "
                     + "SELECT whole_row::text FROM " + other + " whole_row")) {
            while (rs.next()) {
                out.add("only in " + from + ": " + rs.getString(1));
            }
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table + " counted")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The declared type and NOT NULL of each column, "name type [NOT NULL]", in order. */
    static List<String> columnTypes(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT attname, format_type(atttypid, atttypmod), attnotnull "
                     + "FROM pg_attribute WHERE attrelid = '" + table.replace("'", "''") + "'::regclass "
                     + "AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2) + (rs.getBoolean(3) ? " NOT NULL" : ""));
            }
        }
        return out;
    }
}
