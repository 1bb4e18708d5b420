package io.etlpool.spark;

import io.etlpool.embedded.EmbeddedPostgres;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The etlpool writer against Spark's JDBC writer ({@code batchsize} 10,000, {@code reWriteBatchedInserts=true})
 * in one local Spark session, into one embedded PostgreSQL: rows/s, sessions the server opened, and the
 * rows in the target after one task fails once right after its partition committed (as when the reply to
 * its commit is lost). Not a test: run it by hand on a quiet machine,
 * {@code java -cp <test class path> io.etlpool.spark.SparkWriteBench [rows] [partitions]}, with the
 * module's surefire JVM flags.
 */
public final class SparkWriteBench {

    private SparkWriteBench() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000L;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        SparkSession spark = SparkSession.builder().master("local[4,3]").appName("spark-write-bench")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        long failAt = rows / partitions; // the first row of partition 1
        SparkFixtures.registerFailAfterCommit(spark, "fail_after_commit", failAt);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            pg.createDatabase("bench");
            String url = pg.jdbcUrl("bench");
            System.out.printf(Locale.ROOT, "%-8s %-9s %12s %10s %14s%n", "writer", "run", "rows/s", "sessions", "rows in target");
            // a first, unprinted round of both writers on a tenth of the rows warms the JVM and Spark up
            for (String writer : new String[] {"warm-up etlpool", "warm-up jdbc", "etlpool", "jdbc"}) {
                for (String run : writer.startsWith("warm-up") ? new String[] {"clean"} : new String[] {"clean", "failure"}) {
                    try (Connection c = pg.connect("bench"); Statement s = c.createStatement()) {
                        s.execute("DROP TABLE IF EXISTS t");
                        s.execute("CREATE TABLE t (id bigint, amount float8, name text)");
                        long sessionsBefore = sessions(s);
                        long n = writer.startsWith("warm-up") ? rows / 10 : rows;
                        Dataset<Row> df = spark.range(0, n, 1, partitions).selectExpr(
                                (run.equals("failure") ? "fail_after_commit(id)" : "id") + " AS id",
                                "id * 0.25 AS amount", "concat('row-', CAST(id AS STRING)) AS name");
                        long start = System.nanoTime();
                        if (writer.endsWith("etlpool")) {
                            df.write().format("etlpool").mode("append").option("url", url).option("user", pg.superuser())
                                    .option("password", pg.password()).option("budget", "4").option("table", "t").save();
                        } else {
                            df.write().format("jdbc").mode("append").option("url", url + "?reWriteBatchedInserts=true")
                                    .option("user", pg.superuser()).option("password", pg.password())
                                    .option("dbtable", "t").option("batchsize", "10000").save();
                        }
                        double seconds = (System.nanoTime() - start) / 1e9;
                        ExecutorPools.shared().closeIdle(); // backends that end report their statistics
                        Thread.sleep(1_500);
                        long sessions = sessions(s) - sessionsBefore - 1;
                        if (!writer.startsWith("warm-up")) {
                            System.out.printf(Locale.ROOT, "%-8s %-9s %,12.0f %10d %,14d%n", writer, run, n / seconds,
                                    sessions, count(s));
                        }
                    }
                }
            }
        } finally {
            spark.stop();
        }
    }

    /** Sessions the server has opened on this database so far (PostgreSQL 14+). */
    static long sessions(Statement s) throws SQLException {
        s.execute("SELECT pg_stat_clear_snapshot()");
        try (ResultSet rs = s.executeQuery("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long count(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
