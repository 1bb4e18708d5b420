package io.etlpool.spark;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import static io.etlpool.spark.SparkFixtures.count;
import static io.etlpool.spark.SparkFixtures.options;
import static io.etlpool.spark.SparkFixtures.spark;
import static org.assertj.core.api.Assertions.assertThat;

/** Upsert merges by key through a per-task stage; overwrite empties the target once per job. */
@PostgresTest
class UpsertTest {

    @AfterEach
    void closePools() {
        ExecutorPools.shared().closeIdle();
    }

    @Test
    void upsertUpdatesMatchingKeysAndInsertsTheRestExactlyOnceWhenATaskFails(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, visits int)");
            s.execute("INSERT INTO customers SELECT g, 'old-' || g, 0 FROM generate_series(0, 9999) g");
            spark().udf().register("fail_upsert_once", (UDF1<Long, Long>) id -> {
                if (id == 12_345L && TaskContext.get().attemptNumber() == 0) {
                    throw new IllegalStateException("injected failure");
                }
                return id;
            }, DataTypes.LongType);
            Map<String, String> o = options(db, 3);
            // ids 5,000..19,999: half of them exist
            spark().range(5_000, 20_000, 1, 4)
                    .selectExpr("fail_upsert_once(id) AS id", "concat('new-', CAST(id AS STRING)) AS name",
                            "CAST(id % 7 AS INT) AS visits")
                    .write().format("etlpool").mode("append").options(o)
                    .option("table", "customers").option("mode", "upsert").option("key", "id").save();

            assertThat(count(c, "SELECT count(*) FROM customers")).isEqualTo(20_000);
            assertThat(count(c, "SELECT count(*) FROM customers WHERE id < 5000 AND name = 'old-' || id AND visits = 0"))
                    .isEqualTo(5_000);
            assertThat(count(c, "SELECT count(*) FROM customers WHERE id >= 5000 AND name = 'new-' || id"
                    + " AND visits = id % 7")).isEqualTo(15_000);
        }
    }

    @Test
    void overwriteEmptiesTheTargetOncePerJob(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            SparkFixtures.createOrders(c, "orders");
            s.execute("INSERT INTO orders SELECT g, 0, 'before' FROM generate_series(1, 500) g");
            Map<String, String> o = options(db, 2);
            o.put("table", "orders");
            o.put("jobId", "nightly");
            SparkFixtures.orders(2_000, 4).write().format("etlpool").mode("overwrite").options(o).save();
            assertThat(SparkFixtures.checksum(c, "orders")).isEqualTo(SparkFixtures.expected(2_000));
            // rows added after the job ran are not removed by a re-run of the same job
            s.execute("INSERT INTO orders VALUES (-1, 0, 'later')");
            SparkFixtures.orders(2_000, 4).write().format("etlpool").mode("overwrite").options(o).save();
            assertThat(count(c, "SELECT count(*) FROM orders")).isEqualTo(2_001);
        }
    }
}
