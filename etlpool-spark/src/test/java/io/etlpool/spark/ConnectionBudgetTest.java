package io.etlpool.spark;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.etlpool.spark.SparkFixtures.checksum;
import static io.etlpool.spark.SparkFixtures.createOrders;
import static io.etlpool.spark.SparkFixtures.expected;
import static io.etlpool.spark.SparkFixtures.options;
import static io.etlpool.spark.SparkFixtures.orders;
import static io.etlpool.spark.SparkFixtures.spark;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server never sees more connections than the budget, however many partitions run at once: 16
 * partitions on 4 task slots, a budget of 2, the server's sessions sampled all along the write and the read.
 */
@PostgresTest
class ConnectionBudgetTest {

    private static final int BUDGET = 2;

    @AfterEach
    void closePools() {
        ExecutorPools.shared().closeIdle();
    }

    @Test
    void theServerNeverSeesMoreConnectionsThanTheBudget(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Connection sampler = db.connect()) {
            createOrders(c, "orders");
            long rows = 200_000;
            Map<String, String> o = options(db, BUDGET);
            AtomicInteger most = new AtomicInteger();
            AtomicInteger samples = new AtomicInteger();
            AtomicBoolean done = new AtomicBoolean();
            Thread watch = new Thread(() -> {
                try (Statement s = sampler.createStatement()) {
                    while (!done.get()) {
                        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname ="
                                + " current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'")) {
                            rs.next();
                            // less the test's own connection c
                            most.accumulateAndGet(rs.getInt(1) - 1, Math::max);
                            samples.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "sampler");
            watch.start();
            try {
                orders(rows, 16).write().format("etlpool").mode("append").options(o).option("table", "orders").save();
                long read = spark().read().format("etlpool").options(o).option("table", "orders")
                        .option("partitionColumn", "id").option("partitions", "16").load().count();
                assertThat(read).isEqualTo(rows);
            } finally {
                done.set(true);
                watch.join();
            }
            assertThat(checksum(c, "orders")).isEqualTo(expected(rows));
            assertThat(samples.get()).isGreaterThan(10);
            assertThat(most.get()).as("connections seen by the server").isBetween(1, BUDGET);
        }
    }
}
