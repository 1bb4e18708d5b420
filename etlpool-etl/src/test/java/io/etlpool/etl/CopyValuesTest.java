package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.Statement;

import static io.etlpool.etl.EtlFixtures.checksum;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values whose text form is easy to get wrong, through COPY and batch: floats at their limits, NaN and
 * infinities, numeric in exponent form, arrays with commas and quotes, non-ASCII text, a lone {@code \.},
 * JSON, intervals, times and timestamps with and without a zone, BC dates, infinity, uuids. The target must hold exactly the source's rows.
 */
@PostgresTest
class CopyValuesTest {

    private static final String COLUMNS = "id int PRIMARY KEY, d double precision, r real, n numeric, s smallint, "
            + "words text[], t text, j jsonb, i interval, tm time, ts timestamp, tz timestamptz, u uuid, dt date, "
            + "ttz timetz";

    @ParameterizedTest
    @EnumSource(LoadMethod.class)
    void awkwardValuesArriveUnchanged(LoadMethod method, TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (" + COLUMNS + ")");
            s.execute("CREATE TABLE dst (" + COLUMNS + ")");
            s.execute("INSERT INTO src VALUES "
                    + "(1, 1.7976931348623157e308, 3.4028235e38, 1e-20, 32767, '{\"a,b\",\"say \\\"hi\\\"\",NULL}', "
                    + "'héllo ✓', '{\"k\": [1, \"x,y\"]}', '1 year 2 mons 3 days 04:05:06.789', '23:59:59.999999', "
                    + "'2024-02-29 12:00:00.5', '2024-03-10 01:30:00.123456+05', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', "
                    + "'2020-02-29', '10:15:30.25+05:30'), "
                    + "(2, 'NaN', '-Infinity', 12345678901234567890.123456789, -32768, '{}', '\\.', 'null', '-1 days', "
                    + "'00:00', '0001-01-01 00:00:00 BC', '0044-03-15 12:00:00+00 BC', NULL, '0001-01-01 BC', "
                    + "'00:00:00+00'), "
                    + "(3, 4.9e-324, 'Infinity', 0, NULL, NULL, '', '\"\"', NULL, NULL, 'infinity', '-infinity', NULL, "
                    + "'infinity', '23:59:59.999999-12'), "
                    + "(4, 0, 0, 0, 0, NULL, NULL, NULL, NULL, '24:00:00', '-infinity', 'infinity', NULL, '-infinity', "
                    + "'24:00:00+05:30'), "
                    + "(5, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, '99999-12-31 23:59:59', '1970-01-01 00:00:00+00', "
                    + "NULL, '5874897-12-31', '12:00+14')");
            EtlJob.builder("values-" + method).source(pool, "SELECT * FROM src").partitionColumn("id").partitions(2)
                    .target(pool, "dst").method(method).build().run();

            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src")).startsWith("5:");
        }
    }
}
