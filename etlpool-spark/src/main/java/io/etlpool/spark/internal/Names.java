package io.etlpool.spark.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL names. A table name a user writes is given to PostgreSQL to read ({@code to_regclass}), so it is read
 * exactly as the server reads it (schema-qualified, quoted, unquoted parts in lower case) and comes back in
 * its canonical, safely quoted form; column names are real names, only quoted.
 */
final class Names {

    private Names() {
    }

    /** The real name of a written table, schema-qualified and quoted where PostgreSQL needs it. */
    static String relation(Connection c, String written, String option) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?)::text")) {
            ps.setString(1, written);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String name = rs.getString(1);
                if (name == null) {
                    throw new IllegalArgumentException("format(\"etlpool\"): " + option + " '" + written + "' does not"
                            + " exist in the database (names are read as PostgreSQL reads them: unquoted ones in lower"
                            + " case); create it first");
                }
                return name;
            }
        }
    }

    /** A real name, double-quoted, its quotes doubled. */
    static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** Real names, quoted, comma-separated. */
    static String quoted(String[] names) {
        List<String> q = new ArrayList<>();
        for (String n : names) {
            q.add(quote(n));
        }
        return String.join(", ", q);
    }

    /** The index of a column by exact name, else of the one name equal ignoring case; -1 if none. */
    static int column(String[] names, String name) {
        List<Integer> folded = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
            if (names[i].equalsIgnoreCase(name)) {
                folded.add(i);
            }
        }
        return folded.size() == 1 ? folded.get(0) : -1;
    }
}
