package io.etlpool;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's example, compiled and run: if this test changes, change the README with it. */
@PostgresTest
class ReadmeExampleTest {

    @Test
    void theReadmeExampleWorks(TestDatabase db) throws SQLException {
        String url = db.jdbcUrl();
        String user = db.user();
        String password = db.password();

        // --- README example starts
        try (EtlPool pool = EtlPool.builder()
                .jdbcUrl(url)                       // e.g. jdbc:postgresql://localhost:5432/mydatabase
                .username(user).password(password)
                .minSize(1).maxSize(10)
                .build()) {

            pool.execute("CREATE TABLE customers(id int PRIMARY KEY, name text, region text)");
            pool.execute("INSERT INTO customers VALUES (?, ?, ?)", 1, "Ann", "EU");

            // psycopg2's execute_query(): parameters bound, rows read, connection given back
            List<Row> rows = pool.query("SELECT id, name FROM customers WHERE region = ?", "EU");

            // getconn()/putconn(): close() gives the connection back, clean
            try (Connection c = pool.getConnection();
                 PreparedStatement ps = c.prepareStatement("UPDATE customers SET name = ? WHERE id = ?")) {
                ps.setString(1, "Anna");
                ps.setInt(2, 1);
                ps.executeUpdate();
            }

            // a transaction: commit, roll back on error, run again on a fresh connection if the
            // connection was lost (never after a constraint error)
            pool.useTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO customers VALUES (?, ?, ?)")) {
                    ps.setInt(1, 2);
                    ps.setString(2, "Bo");
                    ps.setString(3, "US");
                    ps.executeUpdate();
                }
            });

            // a source and a target connection at once, all or none: no hold-and-wait deadlock
            try (Lease lease = pool.acquire(2)) {
                Connection source = lease.get(0);
                Connection target = lease.get(1);
                assertThat(source).isNotSameAs(target);
            }

            PoolStats stats = pool.stats(); // total, active, idle, waiting, counters, wait and usage times
            // --- README example ends

            assertThat(rows).extracting(r -> r.getString("name")).containsExactly("Ann");
            assertThat(pool.query("SELECT name FROM customers ORDER BY id")).extracting(r -> r.getString("name"))
                    .containsExactly("Anna", "Bo");
            assertThat(stats.active()).isZero();
            assertThat(stats.borrows()).isGreaterThanOrEqualTo(5);
        }
    }
}
