package io.etlpool.spark;

import io.etlpool.testing.TestDatabase;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.TaskCompletionListener;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * One local Spark for the module's tests, {@code local[4,3]}: 4 task slots, and a failed task is tried up to
 * 3 times, as on a cluster. Created once per test JVM (Spark allows one context per JVM) and stopped at exit.
 */
final class SparkFixtures {

    private static SparkSession session;

    private SparkFixtures() {
    }

    static synchronized SparkSession spark() {
        if (session == null) {
            session = localSpark("etlpool-spark-tests").getOrCreate();
            session.sparkContext().setLogLevel("WARN");
        }
        return session;
    }

    /** A builder of the same local Spark, for a test that needs a session of its own (see {@link #stopShared}). */
    static SparkSession.Builder localSpark(String appName) {
        return SparkSession.builder()
                .master("local[4,3]")
                .appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4");
    }

    /**
     * Stops the shared session if there is one, so that a test can start (and stop) a Spark of its own: a
     * JVM has one SparkContext at a time. The next {@link #spark()} starts a new shared session.
     */
    static synchronized void stopShared() {
        if (session != null) {
            session.stop();
            session = null;
        }
    }

    /** The connection options of a test database, pools closed as soon as no task uses them. */
    static Map<String, String> options(TestDatabase db, int budget) {
        Map<String, String> o = new HashMap<>();
        o.put("url", db.jdbcUrl());
        o.put("user", db.user());
        o.put("password", db.password());
        o.put("budget", Integer.toString(budget));
        o.put("poolIdleCloseMs", "0");
        return o;
    }

    /** {@code rows} rows in {@code partitions} partitions: id 0..rows-1, amount 3 id + 1, name 'row-' id. */
    static Dataset<Row> orders(long rows, int partitions) {
        return orders(spark(), rows, partitions);
    }

    /** The same rows in a session of the test's own. */
    static Dataset<Row> orders(SparkSession spark, long rows, int partitions) {
        return spark.range(0, rows, 1, partitions)
                .selectExpr("id", "id * 3 + 1 AS amount", "concat('row-', CAST(id AS STRING)) AS name");
    }

    static void createOrders(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id bigint, amount bigint, name text)");
        }
    }

    /** count, distinct ids, sum of ids, sum of amounts, sum of name lengths. */
    static String checksum(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT id),"
                + " sum(id), sum(amount), sum(length(name)) FROM " + table)) {
            rs.next();
            return rs.getLong(1) + "/" + rs.getLong(2) + "/" + rs.getLong(3) + "/" + rs.getLong(4) + "/" + rs.getLong(5);
        }
    }

    /** What {@link #checksum} says for exactly the rows of {@link #orders}. */
    static String expected(long rows) {
        long sumIds = rows * (rows - 1) / 2;
        long lengths = 0;
        for (long i = 0; i < rows; i++) {
            lengths += 4 + Long.toString(i).length();
        }
        return rows + "/" + rows + "/" + sumIds + "/" + (3 * sumIds + rows) + "/" + lengths;
    }

    /**
     * Registers {@code name(id)}: returns id, and in the first attempt of the task that reads {@code failAt}
     * makes the task fail when it ends, after its writer committed (as when the reply to a commit is lost).
     */
    static void registerFailAfterCommit(SparkSession spark, String name, long failAt) {
        spark.udf().register(name, (UDF1<Long, Long>) id -> {
            TaskContext t = TaskContext.get();
            if (id == failAt && t.attemptNumber() == 0) {
                t.addTaskCompletionListener((TaskCompletionListener) ctx -> {
                    throw new IllegalStateException("injected failure after the commit");
                });
            }
            return id;
        }, DataTypes.LongType);
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
