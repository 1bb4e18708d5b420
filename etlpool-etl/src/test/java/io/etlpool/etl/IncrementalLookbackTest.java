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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A source whose transactions in progress etlpool cannot see (H2): the lookback reads the rows below the
 * watermark again, and the upsert merges them, so late rows within the lookback arrive and nothing doubles.
 */
@PostgresTest
class IncrementalLookbackTest {

    @Test
    void rowsCommittedLateWithinTheLookbackArriveAndTheOverlapReadAgainLeavesTheTargetExact(TestDatabase db,
            @TempDir Path dir) throws Exception {
        String h2 = "jdbc:h2:file:" + dir.resolve("shop").toAbsolutePath();
        try (Connection h = DriverManager.getConnection(h2, "sa", ""); Statement s = h.createStatement();
             EtlPool source = EtlPool.builder().jdbcUrl(h2).username("sa").password("").maxSize(3).build();
             EtlPool target = EtlFixtures.pool(db, 4); Connection pg = db.connect()) {
            s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, amount INT NOT NULL, updated_at TIMESTAMP NOT NULL)");
            s.execute("INSERT INTO orders SELECT x, x * 10, TIMESTAMP '2026-01-01 00:00:00' + x * INTERVAL '1' SECOND "
                    + "FROM SYSTEM_RANGE(1, 1000)");
            try (Statement t = pg.createStatement()) {
                t.execute("CREATE TABLE orders_copy (id bigint PRIMARY KEY, amount int NOT NULL, updated_at timestamp "
                        + "NOT NULL)");
            }
            EtlJob.Builder b = EtlJob.builder("h2-orders").source(source, "SELECT * FROM orders")
                    .target(target, "orders_copy").mode(LoadMode.UPSERT).key("id")
                    .partitions(3).chunkSize(100);

            assertThatThrownBy(() -> b.incremental(Incremental.cursor("updated_at")).build().run())
                    .satisfies(e -> assertThat(JobDefinitionException.in(e)).isTrue())
                    .hasMessageContaining("the source is not PostgreSQL").hasMessageContaining("Set incremental.lookback");

            EtlJob job = b.incremental(Incremental.cursor("updated_at").lookback(Duration.ofMinutes(10))).build();
            assertThat(job.run().rowsWritten()).isEqualTo(1_000);
            assertThat(job.status().increment().watermark()).isEqualTo("2026-01-01T00:16:40.000001");

            // committed after the run, with cursors below its watermark: late, but within the lookback
            s.execute("INSERT INTO orders VALUES (2000, 7, TIMESTAMP '2026-01-01 00:12:00')");
            s.execute("UPDATE orders SET amount = -1, updated_at = TIMESTAMP '2026-01-01 00:16:00' WHERE id = 990");
            s.execute("INSERT INTO orders VALUES (3000, 8, TIMESTAMP '2026-01-01 00:20:00')");
            JobResult second = job.run();
            // every row from 00:06:40 on is read again: 600 of them, and the two new ones
            assertThat(second.rowsRead()).isEqualTo(602);
            assertThat(rows(pg, "orders_copy")).isEqualTo(rows(h, "orders"));
        }
    }

    private static List<String> rows(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, amount, updated_at FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getLong(1) + "|" + rs.getInt(2) + "|" + rs.getObject(3, LocalDateTime.class));
            }
        }
        return out;
    }
}
