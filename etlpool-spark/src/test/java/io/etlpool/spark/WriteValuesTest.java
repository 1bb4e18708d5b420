package io.etlpool.spark;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static io.etlpool.spark.SparkFixtures.count;
import static io.etlpool.spark.SparkFixtures.options;
import static io.etlpool.spark.SparkFixtures.spark;
import static org.assertj.core.api.Assertions.assertThat;

/** Values arrive exactly, by COPY and by batch: every digit, the instant, the bytes, quotes and newlines, NULLs. */
@PostgresTest
class WriteValuesTest {

    @AfterEach
    void closePools() {
        ExecutorPools.shared().closeIdle();
    }

    @ParameterizedTest
    @ValueSource(strings = {"copy", "batch"})
    void valuesArriveExactly(String method, TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE typed (id int, d numeric(20,6), f float8, r real, b boolean, t timestamptz,"
                    + " ntz timestamp, day date, txt text, bin bytea, j jsonb, small int2)");
            Dataset<Row> df = spark().sql("SELECT 1 AS id, CAST('12345678901234.123456' AS DECIMAL(20,6)) AS d,"
                    + " 0.1D AS f, CAST(0.1 AS FLOAT) AS r, true AS b, timestamp_micros(1796119872123456) AS t,"
                    + " make_timestamp_ntz(2026, 12, 1, 10, 11, 12.123456) AS ntz, DATE'2026-12-01' AS day,"
                    + " concat('a \"quoted\", comma', char(10), 'next line \\\\N') AS txt, X'00FF10' AS bin,"
                    + " '{\"a\": 1}' AS j, 7L AS small"
                    + " UNION ALL SELECT 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
                    + " UNION ALL SELECT 3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '', NULL, NULL, NULL");
            df.write().format("etlpool").mode("append").options(options(db, 2)).option("table", "typed")
                    .option("method", method).save();

            try (ResultSet rs = s.executeQuery("SELECT d::text, f = 0.1::float8, r = 0.1::real, b,"
                    + " t = 'epoch'::timestamptz + 1796119872123456 * interval '1 microsecond',"
                    + " ntz = '2026-12-01 10:11:12.123456'::timestamp, day = '2026-12-01'::date, txt, encode(bin, 'hex'),"
                    + " j ->> 'a', small FROM typed WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("12345678901234.123456");
                for (int i = 2; i <= 7; i++) {
                    assertThat(rs.getBoolean(i)).as("column " + i).isTrue();
                }
                assertThat(rs.getString(8)).isEqualTo("a \"quoted\", comma\nnext line \\N");
                assertThat(rs.getString(9)).isEqualTo("00ff10");
                assertThat(rs.getString(10)).isEqualTo("1");
                assertThat(rs.getInt(11)).isEqualTo(7);
            }
            assertThat(count(c, "SELECT count(*) FROM typed WHERE id = 2 AND num_nulls(d, f, r, b, t, ntz, day, txt, bin,"
                    + " j, small) = 11")).isEqualTo(1);
            assertThat(count(c, "SELECT count(*) FROM typed WHERE id = 3 AND txt = ''")).as("empty is not NULL").isEqualTo(1);
        }
    }
}
