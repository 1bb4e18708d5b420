package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rejected row is stored with every value in its PostgreSQL text form (bytea as hex, never a Java
 * object's name), so that once the cause is fixed it can be replayed with json_populate_record and is
 * then exactly the source's row.
 */
@PostgresTest
class RejectReplayTest {

    private static final String COLUMNS = "id int PRIMARY KEY, amount int, b bytea, tz timestamptz, n numeric, "
            + "t text, iv interval, arr int[], x xml, bt bit(3), f8 double precision";

    @ParameterizedTest
    @EnumSource(LoadMethod.class)
    void aRejectedRowCanBeReplayedExactly(LoadMethod method, TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (" + COLUMNS + ")");
            s.execute("CREATE TABLE dst (" + COLUMNS + ", CONSTRAINT positive CHECK (amount >= 0))");
            s.execute("INSERT INTO src SELECT g, CASE WHEN g = 3 THEN -1 ELSE g END, '\\x00ff0000', "
                    + "'2024-03-10 01:30:00.123456+05', 'NaN', E'say \"hi\",\\n\\\\', '1 day 00:00:00.5', "
                    + "'{{1,NULL},{3,4}}', '<a>&amp;</a>', B'101', '-0' FROM generate_series(1, 5) g");
            JobResult result = EtlJob.builder("replay-" + method).source(pool, "SELECT * FROM src").partitionColumn("id")
                    .target(pool, "dst").method(method).rejectTable("dst_rejects").build().run();
            assertThat(result.rowsRejected()).isEqualTo(1);

            try (ResultSet rs = s.executeQuery("SELECT row_data FROM dst_rejects")) {
                rs.next();
                assertThat(rs.getString(1)).contains("\"b\":\"\\\\x00ff0000\"", "\"n\":\"NaN\"", "\"bt\":\"101\"",
                        "\"x\":\"<a>&amp;</a>\"", "\"arr\":\"{{1,NULL},{3,4}}\"", "\"amount\":\"-1\"")
                        .doesNotContain("[B@", "PgSQLXML", "PGobject");
            }
            s.execute("ALTER TABLE dst DROP CONSTRAINT positive");
            s.execute("INSERT INTO dst SELECT r.* FROM dst_rejects j, json_populate_record(NULL::dst, j.row_data::json) r");
            assertThat(RowDiff.between(c, "src", "dst")).isEmpty();
        }
    }
}
