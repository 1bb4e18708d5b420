package io.etlpool.spark;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static io.etlpool.spark.SparkFixtures.options;
import static io.etlpool.spark.SparkFixtures.spark;
import static org.apache.spark.sql.functions.spark_partition_id;
import static org.assertj.core.api.Assertions.assertThat;

/** The reader cuts skewed keys into even partitions and streams them; values arrive exactly. */
@PostgresTest
class ReaderTest {

    @AfterEach
    void closePools() {
        ExecutorPools.shared().closeIdle();
    }

    @Test
    void partitionsAreEvenOnSkewedKeys(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            // ids g^3: equal spans of [min, max] would put almost every row into the first partition
            s.execute("CREATE TABLE skewed AS SELECT g::bigint * g * g AS id, g AS v FROM generate_series(1, 100000) g");
            Map<String, String> o = options(db, 4);
            Dataset<Row> df = spark().read().format("etlpool").options(o).option("table", "skewed")
                    .option("partitionColumn", "id").option("partitions", "4").option("fetchSize", "1000").load();

            List<Row> sizes = df.groupBy(spark_partition_id().as("p")).count().collectAsList();
            assertThat(sizes).hasSize(4);
            for (Row r : sizes) {
                assertThat(r.getLong(1)).as("rows of partition " + r.get(0)).isBetween(24_000L, 26_000L);
            }
            Row sums = df.selectExpr("count(*)", "sum(v)", "count(DISTINCT id)").first();
            assertThat(sums.getLong(0)).isEqualTo(100_000);
            assertThat(sums.getLong(1)).isEqualTo(100_000L * 100_001 / 2);
            assertThat(sums.getLong(2)).isEqualTo(100_000);
        }
    }

    @Test
    void aQueryIsReadWithItsTypesAndNullKeysAreNotLost(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (k int, amount numeric(12,2), day date, note text, payload jsonb)");
            s.execute("INSERT INTO t SELECT CASE WHEN g % 10 = 0 THEN NULL ELSE g END, g * 1.25, DATE '2026-01-01' + g,"
                    + " 'n' || g, jsonb_build_object('g', g) FROM generate_series(1, 1000) g");
            Dataset<Row> df = spark().read().format("etlpool").options(options(db, 2))
                    .option("query", "SELECT k, amount, day, note, payload FROM t WHERE amount > 0")
                    .option("partitionColumn", "k").option("partitions", "3").load();

            assertThat(df.schema().simpleString())
                    .isEqualTo("struct<k:int,amount:decimal(12,2),day:date,note:string,payload:string>");
            assertThat(df.count()).isEqualTo(1_000);
            Row one = df.where("note = 'n7'").first();
            assertThat(one.getInt(0)).isEqualTo(7);
            assertThat(one.getDecimal(1)).isEqualByComparingTo(new BigDecimal("8.75"));
            assertThat(one.getDate(2).toLocalDate()).isEqualTo(LocalDate.of(2026, 1, 8));
            assertThat(one.getString(4)).isEqualTo("{\"g\": 7}");
            assertThat(df.where("k IS NULL").count()).isEqualTo(100);
        }
    }
}
