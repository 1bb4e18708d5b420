package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** A non-PostgreSQL JDBC source (an H2 database file) into PostgreSQL, creating the target table. */
@PostgresTest
class JdbcSourceTest {

    @Test
    void anH2FileLoadsIntoPostgres(TestDatabase db, @TempDir Path dir) throws Exception {
        String h2 = "jdbc:h2:file:" + dir.resolve("shop").toAbsolutePath();
        try (Connection h = DriverManager.getConnection(h2, "sa", ""); Statement s = h.createStatement()) {
            s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(40), amount DECIMAL(10,2), "
                    + "created TIMESTAMP)");
            s.execute("INSERT INTO orders SELECT x, 'customer ' || MOD(x, 97), x * 0.5, "
                    + "TIMESTAMP '2024-01-01 00:00:00' + x * INTERVAL '1' MINUTE FROM SYSTEM_RANGE(1, 20000)");
        }
        try (EtlPool source = EtlPool.builder().jdbcUrl(h2).username("sa").password("").maxSize(3).build();
             EtlPool target = EtlFixtures.pool(db, 3); Connection pg = db.connect()) {
            JobResult result = EtlJob.builder("h2-to-pg")
                    .source(source, "SELECT id, customer, amount, created FROM orders").partitionColumn("id")
                    .partitions(3).parallelism(3).chunkSize(3000)
                    .target(target, "orders_copy").createTable(true).build().run();
            assertThat(result.rowsWritten()).isEqualTo(20000);
            try (Statement s = pg.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT count(*), sum(amount), min(created)::text, max(customer) FROM orders_copy")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(20000);
                assertThat(rs.getBigDecimal(2)).isEqualByComparingTo("100005000.00");
                assertThat(rs.getString(3)).isEqualTo("2024-01-01 00:01:00");
                assertThat(rs.getString(4)).isEqualTo("customer 96");
            }
        }
    }
}
