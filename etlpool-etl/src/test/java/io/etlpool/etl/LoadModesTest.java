package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.etlpool.etl.EtlFixtures.checksum;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 200,000 rows PostgreSQL to PostgreSQL in every mode with every method, compared column by column; an
 * upsert that meets the same key twice.
 */
@PostgresTest
class LoadModesTest {

    private static final int ROWS = 200_000;

    static Stream<Arguments> modesAndMethods() {
        List<Arguments> all = new ArrayList<>();
        for (LoadMode mode : LoadMode.values()) {
            for (LoadMethod method : LoadMethod.values()) {
                all.add(Arguments.of(mode, method));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} by {1}")
    @MethodSource("modesAndMethods")
    void everyRowArrivesExactlyOnce(LoadMode mode, LoadMethod method, TestDatabase db) throws Exception {
        try (EtlPool source = EtlFixtures.pool(db, 4); EtlPool target = EtlFixtures.pool(db, 4);
             Connection c = db.connect()) {
            EtlFixtures.createSource(c, "src", ROWS);
            EtlFixtures.createTarget(c, "dst");
            try (Statement s = c.createStatement()) {
                if (mode != LoadMode.INSERT) {
                    // rows that truncate-insert must remove and upsert must overwrite
                    s.execute("INSERT INTO dst (id, note) SELECT g, 'stale' FROM generate_series(1, 500) g");
                }
            }
            EtlJob.Builder b = EtlJob.builder("modes").source(source, "SELECT * FROM src")
                    .partitionColumn("id").partitions(6).parallelism(3).chunkSize(7_000)
                    .target(target, "dst").mode(mode).method(method);
            if (mode == LoadMode.UPSERT) {
                b.key("id");
            }
            JobResult result = b.build().run();

            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
            assertThat(result.rowsRead()).isEqualTo(ROWS);
            assertThat(result.rowsWritten()).isEqualTo(ROWS);
            assertThat(result.partitions()).hasSize(6);
            assertThat(result.alreadyComplete()).isFalse();
            assertThat(result.toJson()).contains("\"rowsWritten\":" + ROWS);
        }
    }

    @ParameterizedTest
    @EnumSource(LoadMethod.class)
    void anUpsertWithTheSameKeyTwiceInAChunkKeepsTheLastRow(LoadMethod method, TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE events (seq int PRIMARY KEY, account int, balance int)");
            // accounts 1-10, each updated five times: seq order is the order of the updates
            s.execute("INSERT INTO events SELECT g, g % 10 + 1, g FROM generate_series(1, 50) g");
            s.execute("CREATE TABLE balances (account int PRIMARY KEY, balance int)");
            s.execute("INSERT INTO balances VALUES (1, -1), (99, -99)");
            EtlJob.builder("latest-" + method).source(pool, "SELECT account, balance FROM events ORDER BY seq")
                    .target(pool, "balances").mode(LoadMode.UPSERT).key("account").method(method).chunkSize(1000)
                    .build().run();

            assertThat(EtlFixtures.count(c, "balances")).isEqualTo(11L);
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM balances b WHERE balance = "
                    + "(SELECT max(seq) FROM events e WHERE e.account = b.account)")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(10); // every account holds its last update
            }
        }
    }
}
