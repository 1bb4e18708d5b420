package io.etlpool.etl.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The reject table: rows the target refused, with the error; the job goes on without them. */
final class Rejects {

    private final String table;

    Rejects(String table) {
        this.table = Sql.table(table);
    }

    void createIfMissing(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + table + " (job VARCHAR(100), part INTEGER, row_key VARCHAR(100), "
                    + "sqlstate VARCHAR(5), error TEXT, row_data TEXT, rejected_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)");
        }
    }

    void reject(Connection c, String job, int partition, String rowKey, SQLException error, List<String> columns,
                Object[] row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                + " (job, part, row_key, sqlstate, error, row_data) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, job);
            ps.setInt(2, partition);
            ps.setString(3, rowKey);
            ps.setString(4, error.getSQLState());
            ps.setString(5, error.getMessage());
            ps.setString(6, json(columns, row));
            ps.executeUpdate();
        }
    }

    /**
     * The row as a JSON object of the values' PostgreSQL text forms (bytea as {@code \x} hex, times in ISO
     * form, everything else as the server wrote it), so that a fixed row can be replayed with
     * {@code json_populate_record}. It goes to the reject table, never to a log.
     */
    static String json(List<String> columns, Object[] row) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < row.length; i++) {
            String text = CsvEncoder.text(row[i]);
            b.append(i == 0 ? "" : ",").append(Json.quote(columns.get(i))).append(':')
                    .append(text == null ? "null" : Json.quote(text));
        }
        return b.append('}').toString();
    }
}
