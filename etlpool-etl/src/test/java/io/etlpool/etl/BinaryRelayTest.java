package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static io.etlpool.etl.EtlFixtures.checksum;
import static io.etlpool.etl.EtlFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The binary COPY relay: picked when the target's column types are the source query's, exact for every
 * type, chunk ends and resumes as on the row path; anything else takes binary rows or the row path and
 * says why.
 */
@PostgresTest
class BinaryRelayTest {

    private static final String RELAY = "binary relay";

    @ParameterizedTest
    @EnumSource(LoadMode.class)
    void theTypeMatrixGoesByTheRelayExactlyInEveryMode(LoadMode mode, TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 3); Connection c = db.connect(); Statement s = c.createStatement()) {
            TypeMatrixTest.createTables(c);
            if (mode != LoadMode.INSERT) {
                s.execute("INSERT INTO dst (id, tx) VALUES (2, 'stale'), (99, 'stale')");
                if (mode == LoadMode.UPSERT) {
                    s.execute("INSERT INTO src (id, tx) VALUES (99, 'stale')");
                }
            }
            EtlJob.Builder b = EtlJob.builder("relay-" + mode).source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(2).chunkSize(2).target(pool, "dst").mode(mode);
            if (mode == LoadMode.UPSERT) {
                b.key("id");
            }
            JobResult result = b.build().run();
            assertThat(result.path()).isEqualTo(RELAY);
            assertThat(result.toJson()).contains("\"path\":\"binary relay\"");
            assertThat(RowDiff.between(c, "src", "dst")).isEmpty();
        }
    }

    @Test
    void anUpsertRelayCountsDuplicateKeysOfAChunkAsMerged(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (k int, v text)");
            s.execute("CREATE TABLE dst (k int PRIMARY KEY, v text)");
            s.execute("INSERT INTO src VALUES (1, 'a'), (1, 'a'), (2, 'b'), (3, 'c')");
            JobResult r = EtlJob.builder("merge").source(pool, "SELECT * FROM src").partitionColumn("k").partitions(1)
                    .chunkSize(10).target(pool, "dst").mode(LoadMode.UPSERT).key("k").build().run();
            assertThat(r.path()).isEqualTo(RELAY);
            assertThat(r.rowsMerged()).isEqualTo(1);
            assertThat(r.rowsWritten()).isEqualTo(3);
            assertThat(count(c, "dst")).isEqualTo(3);
        }
    }

    @Test
    void aTypeMismatchTakesBinaryRowsAndSaysWhy(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id int, v int, t text)");
            s.execute("CREATE TABLE dst (id int, v bigint, t text)");
            s.execute("INSERT INTO src SELECT g, g * 1000, 'r' || g FROM generate_series(1, 500) g");
            JobResult r = EtlJob.builder("mismatch").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(2).chunkSize(100).target(pool, "dst").build().run();
            assertThat(r.path()).isEqualTo("binary rows (reason: column v is integer in the source query and bigint in the target)");
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }

    @Test
    void aColumnMappingThatMakesTheTypesMatchGoesByTheRelay(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id int, v int)");
            s.execute("CREATE TABLE dst (id int, w bigint)");
            s.execute("INSERT INTO src SELECT g, g * 3 FROM generate_series(1, 300) g");
            JobResult r = EtlJob.builder("mapped").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .column("id", "id").column("w", "v::bigint").partitions(2).chunkSize(50).target(pool, "dst")
                    .build().run();
            assertThat(r.path()).isEqualTo(RELAY);
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM src JOIN dst ON dst.id = src.id AND dst.w = src.v")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(300);
            }
        }
    }

    /**
     * Where the key is the first column of {@code SELECT *} the source sends it once and the relay forwards
     * tuples whole; elsewhere (last, under a mixed-case quoted name, selected twice) it reads a leading
     * copy and drops it. Either way every row arrives exactly, through chunks of 70 rows in 3 partitions.
     */
    @Test
    void theKeyArrivesExactlyWhereverItStandsInTheRow(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            String[][] cases = {
                {"\"Id\" bigint, v text, w float8", "SELECT * FROM src", "\"Id\""},
                {"v text, w float8, id int", "SELECT * FROM src", "id"},
                {"id int, v text, w float8", "SELECT id, v, w, id AS id2 FROM src", "id"},
            };
            for (int i = 0; i < cases.length; i++) {
                String[] k = cases[i];
                s.execute("DROP VIEW IF EXISTS src_v");
                s.execute("DROP TABLE IF EXISTS src, dst");
                s.execute("CREATE TABLE src (" + k[0] + ")");
                s.execute("CREATE VIEW src_v AS " + k[1]);
                String dst = k[1].contains("id2") ? k[0] + ", id2 int" : k[0];
                s.execute("CREATE TABLE dst (" + dst + ")");
                String key = k[2].replace("\"", "");
                s.execute("INSERT INTO src (\"" + key + "\", v, w) SELECT g, CASE WHEN g % 7 > 0 THEN md5(g::text) END, "
                        + "g / 3.0 FROM generate_series(1, 1000) g");
                JobResult r = EtlJob.builder("where-" + i).source(pool, k[1]).partitionColumn(k[2]).partitions(3)
                        .chunkSize(70).target(pool, "dst").build().run();
                assertThat(r.path()).as(k[0]).isEqualTo(RELAY);
                assertThat(RowDiff.between(c, "src_v", "dst")).as(k[0]).isEmpty();
            }
        }
    }

    @Test
    void offOrWithATransformOrWithoutAPartitionColumnTheRowPathSaysWhy(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            EtlFixtures.createSource(c, "src", 1_000);
            EtlFixtures.createTarget(c, "dst");
            EtlJob.Builder off = EtlJob.builder("off").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .target(pool, "dst").binaryRelay(false);
            assertThat(off.build().run().path()).isEqualTo("rows (reason: binaryRelay is off)");
            s.execute("TRUNCATE dst");
            EtlJob.Builder transformed = EtlJob.builder("transformed").source(pool, "SELECT * FROM src")
                    .partitionColumn("id").target(pool, "dst").transform(r -> List.of(r));
            assertThat(transformed.build().run().path()).isEqualTo("binary rows (reason: a Java transform)");
            s.execute("TRUNCATE dst");
            EtlJob.Builder unpartitioned = EtlJob.builder("whole").source(pool, "SELECT * FROM src ORDER BY id")
                    .target(pool, "dst");
            assertThat(unpartitioned.build().run().path()).startsWith("binary rows (reason: no partition column");
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }

    @Test
    void nullsEmptyStringsAndBytesLargerThanTheBufferArriveExactly(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            String columns = "id bigint, t text, b bytea, f float8";
            s.execute("CREATE TABLE src (" + columns + ")");
            s.execute("CREATE TABLE dst (" + columns + ")");
            s.execute("INSERT INTO src VALUES (1, NULL, NULL, NULL), (2, '', '\\x', 0), (3, '', '\\x000000', '-0'), "
                    + "(4, repeat('x', 300000), decode(repeat('00ff', 150000), 'hex'), 'NaN'), "
                    + "(5, E'\\\\N', '\\x00', 'Infinity')");
            s.execute("INSERT INTO src SELECT g, g::text, decode(md5(g::text), 'hex'), g / 3.0 "
                    + "FROM generate_series(6, 3000) g");
            JobResult r = EtlJob.builder("edges").source(pool, "SELECT * FROM src").partitionColumn("id").partitions(3)
                    .chunkSize(7).target(pool, "dst").build().run();
            assertThat(r.path()).isEqualTo(RELAY);
            assertThat(r.rowsWritten()).isEqualTo(3000);
            assertThat(RowDiff.between(c, "src", "dst")).isEmpty();
        }
    }

    @Test
    void chunksNeverSplitLongRunsOfEqualKeysAndAResumeAfterOneIsExact(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (k date, n int)");
            s.execute("CREATE TABLE dst (k date, n int CHECK (n <> 1250))");
            // runs of 15 equal keys (chunkSize 4: up to 40 rows of one key may form a chunk), infinity at the ends
            s.execute("INSERT INTO src SELECT date '2020-01-01' + g / 15, g FROM generate_series(0, 2999) g");
            s.execute("INSERT INTO src VALUES ('infinity', -1), ('-infinity', -2), ('0044-03-15 BC', -3)");
            EtlJob.Builder b = EtlJob.builder("runs").source(pool, "SELECT * FROM src").partitionColumn("k")
                    .partitions(3).parallelism(1).chunkSize(4).target(pool, "dst");
            assertThatThrownBy(() -> b.build().run()).hasMessageContaining("23514");
            long before = count(c, "dst");
            assertThat(before).isPositive();
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM (SELECT k FROM dst GROUP BY k "
                    + "HAVING count(*) <> (SELECT count(*) FROM src WHERE src.k = dst.k)) split")) {
                rs.next();
                assertThat(rs.getLong(1)).as("keys whose rows were split between committed and not").isZero();
            }
            s.execute("ALTER TABLE dst DROP CONSTRAINT dst_n_check");
            JobResult rest = b.build().run();
            assertThat(rest.path()).isEqualTo(RELAY);
            assertThat(rest.rowsWritten()).isEqualTo(3003 - before);
            assertThat(RowDiff.between(c, "src", "dst")).isEmpty();
        }
    }

    @Test
    void timestampKeysWithInfinityAndBcDatesEndChunksAndResumeExactly(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (at timestamp, n int)");
            s.execute("CREATE TABLE dst (LIKE src)");
            s.execute("INSERT INTO src SELECT timestamp '2024-01-01' + g * interval '1.5 seconds', g "
                    + "FROM generate_series(0, 1999) g");
            s.execute("INSERT INTO src VALUES ('infinity', -1), ('-infinity', -2), ('0044-03-15 12:00:00.000001 BC', -3)");
            failOnce(s, "NEW.n = 1500", "P0001");
            EtlJob.Builder b = EtlJob.builder("times").source(pool, "SELECT * FROM src").partitionColumn("at")
                    .partitions(2).parallelism(1).chunkSize(100).target(pool, "dst");
            stoppedThenResumedExactly(c, b, 2003);
        }
    }

    @Test
    void aRunOfEqualKeysLongerThanTenChunksStopsTheRelayAsItStopsTheRowPath(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (k int, n int)");
            s.execute("CREATE TABLE dst (k int, n int)");
            s.execute("INSERT INTO src SELECT 7, g FROM generate_series(1, 50) g");
            assertThatThrownBy(() -> EtlJob.builder("run").source(pool, "SELECT * FROM src").partitionColumn("k")
                    .chunkSize(2).target(pool, "dst").build().run())
                    .hasMessageContaining("still repeats").hasMessageContaining("k value 7");
            assertThat(count(c, "dst")).isZero();
        }
    }

    @Test
    void aTransientFailureMidPartitionIsRetriedFromTheCheckpointExactly(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect(); Statement s = c.createStatement()) {
            EtlFixtures.createSource(c, "src", 20_000);
            EtlFixtures.createTarget(c, "dst");
            failOnce(s, "NEW.id = 7777", "40001");
            JobResult r = EtlJob.builder("retried").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(2).chunkSize(1_000).target(pool, "dst").retryBackoff(java.time.Duration.ofMillis(10))
                    .build().run();
            assertThat(r.path()).isEqualTo(RELAY);
            assertThat(r.retries()).isEqualTo(1);
            assertThat(r.rowsWritten()).isEqualTo(20_000);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }

    @Test
    void aJobStoppedMidPartitionResumesExactlyOnTheRelay(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect(); Statement s = c.createStatement()) {
            EtlFixtures.createSource(c, "src", 20_000);
            EtlFixtures.createTarget(c, "dst");
            failOnce(s, "NEW.id = 13333", "P0001");
            EtlJob.Builder b = EtlJob.builder("stopped").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(2).parallelism(1).chunkSize(1_000).target(pool, "dst");
            JobResult rest = stoppedThenResumedExactly(c, b, 20_000);
            assertThat(rest.partitions()).anyMatch(PartitionResult::resumed);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }

    @Test
    void aChunkThatFailsOnItsDataGoesOnByTheRowPathWhichSetsTheRowAside(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id int, v int)");
            s.execute("CREATE TABLE dst (id int, v int CHECK (v <> 150))");
            s.execute("INSERT INTO src SELECT g, g FROM generate_series(1, 400) g");
            JobResult r = EtlJob.builder("rejecting").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(2).parallelism(1).chunkSize(50).target(pool, "dst").rejectTable("rejects").build().run();
            assertThat(r.path()).contains(RELAY).contains("rows (reason: a chunk of the binary relay failed on its data");
            assertThat(r.rowsRejected()).isEqualTo(1);
            assertThat(r.rowsWritten()).isEqualTo(399);
            try (ResultSet rs = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE v = 150) FROM dst")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(399);
                assertThat(rs.getLong(2)).isZero();
            }
        }
    }

    /**
     * Runs the job until the injected failure stops it, then again: the second run loads by the relay
     * exactly the rows the first did not commit, and dst ends with src's rows.
     */
    static JobResult stoppedThenResumedExactly(Connection c, EtlJob.Builder b, long total) throws SQLException {
        assertThatThrownBy(() -> b.build().run()).hasMessageContaining("simulated failure");
        long before = count(c, "dst");
        assertThat(before).isBetween(1L, total - 1);
        JobResult rest = b.build().run();
        assertThat(rest.path()).isEqualTo(RELAY);
        assertThat(rest.rowsWritten()).isEqualTo(total - before);
        assertThat(RowDiff.between(c, "src", "dst")).isEmpty();
        return rest;
    }

    /** A trigger on dst that fails the first time a row matches, with the given SQLState (a sequence survives rollback). */
    static void failOnce(Statement s, String condition, String sqlState) throws SQLException {
        s.execute("CREATE SEQUENCE fired");
        s.execute("CREATE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF " + condition
                + " AND nextval('fired') = 1 THEN RAISE EXCEPTION 'simulated failure' USING ERRCODE = '" + sqlState
                + "'; END IF; RETURN NEW; END $$");
        s.execute("CREATE TRIGGER fail_once BEFORE INSERT ON dst FOR EACH ROW EXECUTE FUNCTION fail_once()");
    }
}
