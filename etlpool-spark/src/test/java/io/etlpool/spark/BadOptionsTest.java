package io.etlpool.spark;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.apache.spark.SparkContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.Map;

import static io.etlpool.spark.SparkFixtures.count;
import static io.etlpool.spark.SparkFixtures.createOrders;
import static io.etlpool.spark.SparkFixtures.options;
import static io.etlpool.spark.SparkFixtures.orders;
import static io.etlpool.spark.SparkFixtures.spark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad options are refused with a message that says what to do, before any Spark job (so any task) starts. */
@PostgresTest
class BadOptionsTest {

    @AfterEach
    void closePools() {
        ExecutorPools.shared().closeIdle();
    }

    /** A write of 100 rows with these options fails with this message, and no Spark job was started. */
    private static void refusedBeforeAnyJob(String group, Map<String, String> options, String message) {
        SparkContext sc = spark().sparkContext();
        sc.setJobGroup(group, group, false);
        try {
            assertThatThrownBy(() -> orders(100, 2).write().format("etlpool").mode("append").options(options).save())
                    .hasStackTraceContaining(message);
        } finally {
            sc.clearJobGroup();
        }
        assertThat(sc.statusTracker().getJobIdsForGroup(group)).as("Spark jobs started").isEmpty();
    }

    @Test
    void anUnknownOptionIsRefusedWithTheClosestKnownOne(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            createOrders(c, "orders");
            Map<String, String> o = options(db, 4);
            o.put("table", "orders");
            o.put("bugdet", "4");
            refusedBeforeAnyJob("unknown-option", o, "unknown option 'bugdet'; did you mean 'budget'?");
            assertThat(count(c, "SELECT count(*) FROM orders")).isZero();
        }
    }

    @Test
    void aBudgetSmallerThanTheExecutorsIsRefused(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            createOrders(c, "orders");
            Map<String, String> o = options(db, 3);
            o.put("table", "orders");
            o.put("executors", "4");
            refusedBeforeAnyJob("small-budget", o, "budget 3 is smaller than the 4 executor(s)");
        }
    }

    @Test
    void anUpsertWithoutAKeyIsRefused(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            createOrders(c, "orders");
            Map<String, String> o = options(db, 2);
            o.put("table", "orders");
            o.put("mode", "upsert");
            refusedBeforeAnyJob("no-key", o, "mode upsert needs option 'key'");
            o.put("key", "order_id");
            refusedBeforeAnyJob("wrong-key", o, "key column 'order_id' is not a column of the DataFrame");
        }
    }

    @Test
    void aMissingTargetOrColumnIsRefused(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            Map<String, String> o = options(db, 2);
            o.put("table", "nowhere");
            refusedBeforeAnyJob("no-table", o, "table 'nowhere' does not exist");
            try (var s = c.createStatement()) {
                s.execute("CREATE TABLE narrow (id bigint)");
            }
            o.put("table", "narrow");
            refusedBeforeAnyJob("no-column", o, "the DataFrame's column 'amount' is not a column of narrow");
        }
    }
}
