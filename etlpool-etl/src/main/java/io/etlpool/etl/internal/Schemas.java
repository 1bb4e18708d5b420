package io.etlpool.etl.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Target schemas: created when missing (looked up first, so a user without CREATE can use existing ones). */
final class Schemas {

    private Schemas() {
    }

    static void ensure(Connection target, String schema) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement s = target.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.quote(schema));
        }
    }
}
