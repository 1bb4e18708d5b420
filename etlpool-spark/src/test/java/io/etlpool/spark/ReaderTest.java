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
            s.execute("CREATE TABLE t (k int, amount numeric(12,2), day date, note text, payload jsonb, big bigint,"
                    + " small int2, f float8, r real, ok bool, bin bytea, at timestamptz, local timestamp, free numeric)");
            s.execute("INSERT INTO t SELECT CASE WHEN g % 10 = 0 THEN NULL ELSE g END, g * 1.25, DATE '2026-01-01' + g,"
                    + " 'n' || g, jsonb_build_object('g', g), g * 10000000000, g % 100, g / 10.0, g / 4.0, g % 2 = 0,"
                    + " '\\x00ff'::bytea, 'epoch'::timestamptz + g * interval '1.000001 second',"
                    + " '2026-12-01 10:11:12.123456'::timestamp, 0.1 FROM generate_series(1, 1000) g");
            Dataset<Row> df = spark().read().format("etlpool").options(options(db, 2))
                    .option("query", "SELECT * FROM t WHERE amount > 0")
                    .option("partitionColumn", "k").option("partitions", "3").load();

            assertThat(df.schema().simpleString()).isEqualTo("struct<k:int,amount:decimal(12,2),day:date,note:string,"
                    + "payload:string,big:bigint,small:smallint,f:double,r:float,ok:boolean,bin:binary,at:timestamp,"
                    + "local:timestamp_ntz,free:decimal(38,18)>");
            assertThat(df.count()).isEqualTo(1_000);
            Row one = df.where("note = 'n7'").first();
            assertThat(one.getInt(0)).isEqualTo(7);
            assertThat(one.getDecimal(1)).isEqualByComparingTo(new BigDecimal("8.75"));
            assertThat(one.getDate(2).toLocalDate()).isEqualTo(LocalDate.of(2026, 1, 8));
            assertThat(one.getString(4)).isEqualTo("{\"g\": 7}");
            assertThat(one.getLong(5)).isEqualTo(70_000_000_000L);
            assertThat(one.getShort(6)).isEqualTo((short) 7);
            assertThat(one.getDouble(7)).isEqualTo(0.7);
            assertThat(one.getFloat(8)).isEqualTo(1.75f);
            assertThat(one.getBoolean(9)).isFalse();
            assertThat((byte[]) one.get(10)).containsExactly(0, 0xff);
            assertThat(one.getTimestamp(11).toInstant()).isEqualTo(java.time.Instant.ofEpochSecond(7, 7_000));
            assertThat(one.getAs(12).toString()).isEqualTo("2026-12-01T10:11:12.123456");
            assertThat(one.getDecimal(13)).isEqualByComparingTo(new BigDecimal("0.1"));
            assertThat(df.where("k IS NULL").count()).isEqualTo(100);
        }
    }
}
