package io.etlpool.spark;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.Map;

import static io.etlpool.spark.SparkFixtures.checksum;
import static io.etlpool.spark.SparkFixtures.count;
import static io.etlpool.spark.SparkFixtures.createOrders;
import static io.etlpool.spark.SparkFixtures.expected;
import static io.etlpool.spark.SparkFixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code spark.plugins=io.etlpool.spark.EtlPoolSparkPlugin} the pools of the JVM close when Spark stops,
 * not only poolIdleCloseMs after their last task: a write whose pools would idle for 10 minutes, then the
 * session stopped, and the server's sessions of the test database gone at once. The test runs a local Spark
 * of its own (the shared one is stopped first; the next test starts it again).
 */
@PostgresTest
class SparkPluginTest {

    private static final String SESSIONS = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            + " AND pid <> pg_backend_pid() AND backend_type = 'client backend'";

    @AfterEach
    void closePools() {
        ExecutorPools.shared().closeAll(); // whatever the test left, should it fail
    }

    @Test
    void stoppingTheSessionClosesThePoolsOfTheJvm(TestDatabase db) throws Exception {
        SparkFixtures.stopShared();
        SparkSession spark = SparkFixtures.localSpark("etlpool-spark-plugin-test")
                .config("spark.plugins", EtlPoolSparkPlugin.class.getName())
                .getOrCreate();
        try (Connection c = db.connect()) {
            spark.sparkContext().setLogLevel("WARN");
            createOrders(c, "orders");
            long rows = 20_000;
            Map<String, String> o = options(db, 2);
            o.put("poolIdleCloseMs", "600000"); // so that the idle close cannot be what closes them
            SparkFixtures.orders(spark, rows, 4).write().format("etlpool").mode("append").options(o).option("table", "orders").save();
            assertThat(checksum(c, "orders")).isEqualTo(expected(rows));
            assertThat(ExecutorPools.shared().openPools()).as("pools open after the write").isPositive();
            assertThat(count(c, SESSIONS)).as("the pools' sessions after the write").isPositive();

            spark.stop();

            long deadline = System.nanoTime() + 5_000_000_000L;
            long left = count(c, SESSIONS);
            while (left > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                left = count(c, SESSIONS);
            }
            assertThat(left).as("the pools' sessions 5 s after the stop").isZero();
            assertThat(ExecutorPools.shared().openPools()).as("pools open after the stop").isZero();
        } finally {
            spark.stop();
        }
    }
}
