package io.etlpool.etl.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL source's plan for a statement ({@code EXPLAIN}: planned, never run): its row estimate, its
 * cost, and whether it reads one table whole. The planner uses it to pick the cheaper of two statements
 * that give the same answer and to tell when a table's statistics describe a query's rows.
 */
final class Explain {

    private static final Pattern TOP = Pattern.compile("\\(cost=[0-9.]+\\.\\.([0-9.]+) rows=(\\d+) ");

    final List<String> lines;

    private Explain(List<String> lines) {
        this.lines = lines;
    }

    static Explain of(Connection source, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        }
        return new Explain(lines);
    }

    /** The planner's estimate of the rows, or -1 when the plan does not show one. */
    long rows() {
        Matcher m = top();
        return m == null ? -1 : Long.parseLong(m.group(2));
    }

    /** The planner's total cost, or infinity when the plan does not show one. */
    double cost() {
        Matcher m = top();
        return m == null ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
    }

    /**
     * Whether the statement reads every row of one table and nothing else: a plan of one line, a sequential
     * scan with no filter, no join, no limit. A table's statistics then describe the statement's rows.
     */
    boolean readsOneTableWhole() {
        return lines.size() == 1 && lines.get(0).startsWith("Seq Scan on ");
    }

    private Matcher top() {
        if (lines.isEmpty()) {
            return null;
        }
        Matcher m = TOP.matcher(lines.get(0));
        return m.find() ? m : null;
    }
}
