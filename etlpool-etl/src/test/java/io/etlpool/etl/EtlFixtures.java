package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.TestDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** Source data with awkward values, and the checksums that compare source and target. */
final class EtlFixtures {

    static final String COLUMNS = "id bigint PRIMARY KEY, customer int, amount numeric(12,2), note text, "
            + "created timestamptz, day date, flag boolean, payload bytea";

    private EtlFixtures() {
    }

    static EtlPool pool(TestDatabase db, int maxSize) throws SQLException {
        return EtlPool.builder().jdbcUrl(db.jdbcUrl()).username(db.user()).password(db.password())
                .minSize(1).maxSize(maxSize).connectionTimeout(Duration.ofSeconds(20))
                .closeGracePeriod(Duration.ofSeconds(2)).build();
    }

    /** {@code rows} source rows: quotes, commas, newlines, empty strings, NULLs, time zones, bytes. */
    static void createSource(Connection c, String table, int rows) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (" + COLUMNS + ")");
            s.execute("INSERT INTO " + table + " SELECT g, g % 1000, (g * 1.25)::numeric(12,2), "
                    + "CASE g % 5 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN 'say \"hi\", ok' "
                    + "WHEN 3 THEN E'two\\nlines\\\\' ELSE 'plain ' || g END, "
                    + "timestamptz '2024-03-10 01:30:00+05' + g * interval '37 minutes', "
                    + "date '2020-01-01' + (g % 2000), g % 3 = 0, "
                    + "CASE WHEN g % 7 = 0 THEN NULL ELSE decode(md5(g::text), 'hex') END "
                    + "FROM generate_series(1, " + rows + ") g");
        }
    }

    static void createTarget(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (" + COLUMNS + ")");
        }
    }

    /** Row count and an md5 over every column of every row in id order: equal means the same rows. */
    static String checksum(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
             // the alias must not be a column name: a column "t" would make t::text that column, not the row
             ResultSet rs = s.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(whole_row::text, '|' "
                     + "ORDER BY id)), '') FROM " + table + " whole_row")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
