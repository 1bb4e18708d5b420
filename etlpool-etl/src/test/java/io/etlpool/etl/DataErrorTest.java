package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static io.etlpool.etl.EtlFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rows the target refuses: the job stops naming the row's key, or sets them aside in a reject table. */
@PostgresTest
class DataErrorTest {

    private static void tables(Connection c) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id int PRIMARY KEY, amount int, secret text)");
            s.execute("INSERT INTO src SELECT g, CASE WHEN g IN (1234, 4321) THEN -g ELSE g END, 'card-' || g "
                    + "FROM generate_series(1, 5000) g");
            s.execute("CREATE TABLE dst (id int PRIMARY KEY, amount int CHECK (amount >= 0), secret text)");
        }
    }

    @Test
    void aDataErrorStopsTheJobNamingPartitionRangeAndKeyButNoValues(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect()) {
            tables(c);
            EtlJob job = EtlJob.builder("bad-rows").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(1).chunkSize(1000).target(pool, "dst").build();
            assertThatThrownBy(job::run).isInstanceOfSatisfying(EtlException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("23514");
                assertThat(e.getMessage()).contains("job 'bad-rows'", "partition 0 [1, 5000)", "row with id 1234",
                        "reject table").doesNotContain("card-1234").doesNotContain("-1234");
            });
            assertThat(count(c, "dst")).isEqualTo(1000); // the chunks before the bad one were committed
        }
    }

    @Test
    void withARejectTableBadRowsAreSetAsideAndTheJobGoesOn(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect()) {
            tables(c);
            JobResult result = EtlJob.builder("rejects").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(2).chunkSize(1000).target(pool, "dst").rejectTable("dst_rejects")
                    .method(LoadMethod.COPY).build().run();
            assertThat(result.rowsRejected()).isEqualTo(2);
            assertThat(result.rowsWritten()).isEqualTo(4998);
            assertThat(count(c, "dst")).isEqualTo(4998);
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT row_key, sqlstate, job FROM dst_rejects ORDER BY row_key")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("1234");
                assertThat(rs.getString(2)).isEqualTo("23514");
                assertThat(rs.getString(3)).isEqualTo("rejects");
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("4321");
            }
        }
    }
}
