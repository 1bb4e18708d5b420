package io.etlpool.spark;

import io.etlpool.embedded.EmbeddedPostgres;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * The etlpool reader against Spark's JDBC reader ({@code partitionColumn} with lowerBound/upperBound from the
 * table's min and max, {@code fetchsize} 10,000) in one local Spark session, from one embedded PostgreSQL:
 * rows/s of a scan that reads every column, the sessions the server opened meanwhile (the driver's
 * included), and the rows of the largest partition, on evenly spread keys and on keys with one far
 * outlier. Not a test: run it by hand on a quiet machine,
 * {@code java -cp <test class path> io.etlpool.spark.SparkReadBench [rows] [partitions]}, with the module's
 * surefire JVM flags.
 */
public final class SparkReadBench {

    private SparkReadBench() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000L;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        SparkSession spark = SparkSession.builder().master("local[4,3]").appName("spark-read-bench")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            pg.createDatabase("bench");
            String url = pg.jdbcUrl("bench");
            try (Connection c = pg.connect("bench"); Statement s = c.createStatement()) {
                for (String table : new String[] {"even", "skewed"}) {
                    // skewed: the same rows, but the last id is 1,000 times the row count (one late outlier)
                    s.execute("CREATE TABLE " + table + " AS SELECT CASE WHEN g = " + rows + " AND '" + table
                            + "' = 'skewed' THEN " + rows + " * 1000 ELSE g END::bigint AS id, g * 0.25 AS amount, "
                            + "'row-' || g AS name FROM generate_series(1, " + rows + ") g");
                    s.execute("ANALYZE " + table);
                }
                System.out.printf(Locale.ROOT, "%-8s %-7s %12s %10s %18s%n", "reader", "keys", "rows/s", "sessions",
                        "largest partition");
                for (String reader : new String[] {"warm-up etlpool", "warm-up jdbc", "etlpool", "jdbc"}) {
                    for (String table : new String[] {"even", "skewed"}) {
                        long sessionsBefore = SparkWriteBench.sessions(s);
                        Dataset<Row> df = read(spark, reader, table, url, pg, partitions, s);
                        long start = System.nanoTime();
                        Row sums = df.selectExpr("count(*)", "sum(amount)", "sum(length(name))").collectAsList().get(0);
                        double seconds = (System.nanoTime() - start) / 1e9;
                        if (sums.getLong(0) != rows) {
                            throw new IllegalStateException(reader + " read " + sums.getLong(0) + " rows of " + rows);
                        }
                        ExecutorPools.shared().closeIdle(); // backends that end report their statistics
                        Thread.sleep(1_500);
                        long sessions = SparkWriteBench.sessions(s) - sessionsBefore;
                        if (!reader.startsWith("warm-up")) {
                            System.out.printf(Locale.ROOT, "%-8s %-7s %,12.0f %10d %,18d%n", reader, table,
                                    rows / seconds, sessions, largestPartition(df));
                        }
                    }
                }
            }
        } finally {
            spark.stop();
        }
    }

    private static Dataset<Row> read(SparkSession spark, String reader, String table, String url, EmbeddedPostgres pg,
                                     int partitions, Statement s) throws SQLException {
        DataFrameReader r = spark.read().option("user", pg.superuser()).option("password", pg.password());
        if (reader.endsWith("etlpool")) {
            return r.format("etlpool").option("url", url).option("table", table).option("partitionColumn", "id")
                    .option("partitions", Integer.toString(partitions)).option("budget", "4").load();
        }
        long min;
        long max;
        try (ResultSet rs = s.executeQuery("SELECT min(id), max(id) FROM " + table)) {
            rs.next();
            min = rs.getLong(1);
            max = rs.getLong(2);
        }
        return r.format("jdbc").option("url", url).option("dbtable", table).option("partitionColumn", "id")
                .option("lowerBound", Long.toString(min)).option("upperBound", Long.toString(max + 1))
                .option("numPartitions", Integer.toString(partitions)).option("fetchsize", "10000").load();
    }

    /** Rows in the fullest partition (a second, untimed scan). */
    private static long largestPartition(Dataset<Row> df) {
        List<Row> counts = df.selectExpr("spark_partition_id() AS p").groupBy("p").count().collectAsList();
        long largest = 0;
        for (Row r : counts) {
            largest = Math.max(largest, r.getLong(1));
        }
        return largest;
    }
}
