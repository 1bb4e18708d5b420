package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.util.PGobject;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.etlpool.etl.EtlFixtures.checksum;
import static io.etlpool.etl.EtlFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A job with a Java transform between two PostgreSQL databases reads binary COPY and writes binary COPY:
 * the transform sees the Java values the driver's text results gave, and every type arrives exactly
 * (the types without a binary codec by their text form, that column only).
 */
@PostgresTest
class BinaryTransformTest {

    private static final String BINARY = "binary rows (reason: a Java transform";

    @ParameterizedTest
    @EnumSource(LoadMode.class)
    void theTypeMatrixGoesByBinaryRowsThroughATransformThatChangesOneColumn(LoadMode mode, TestDatabase db)
            throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 3); Connection c = db.connect(); Statement s = c.createStatement()) {
            TypeMatrixTest.createTables(c);
            if (mode != LoadMode.INSERT) {
                s.execute("INSERT INTO dst (id, tx) VALUES (2, 'stale'), (99, 'stale')");
                if (mode == LoadMode.UPSERT) {
                    s.execute("INSERT INTO src (id, tx) VALUES (99, 'stale')");
                }
            }
            s.execute("CREATE TABLE expected AS SELECT * FROM src");
            s.execute("UPDATE expected SET tx = tx || '|changed'");
            EtlJob.Builder b = EtlJob.builder("binary-" + mode).source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(2).chunkSize(2).target(pool, "dst").mode(mode)
                    .transform(RowTransform.map(r -> r.get("tx") == null ? r : r.with("tx", r.get("tx") + "|changed")));
            if (mode == LoadMode.UPSERT) {
                b.key("id");
            }
            JobResult result = b.build().run();
            assertThat(result.path()).isEqualTo(BINARY + "; by their text form: bt, cn, cp, dom, dr, ip, iv, m, mac, "
                    + "mac8, md, mr, nm, nr, o, pt, qc, r4, rtz, ta, tsa, tv, vb, x)");
            assertThat(RowDiff.between(c, "expected", "dst")).isEmpty();
        }
    }

    @Test
    void theTransformSeesTheSameJavaValuesAsOnTheTextPath(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 3); Connection c = db.connect(); Statement s = c.createStatement()) {
            TypeMatrixTest.createTables(c);
            Map<Integer, List<String>> text = seen(pool, false);
            s.execute("TRUNCATE dst");
            Map<Integer, List<String>> binary = seen(pool, true);
            assertThat(text).hasSize(4);
            assertThat(binary).isEqualTo(text);
            assertThat(RowDiff.between(c, "src", "dst")).isEmpty();
        }
    }

    /** What a transform sees of each row: every value's class and content, by id. */
    private static Map<Integer, List<String>> seen(EtlPool pool, boolean binary) throws SQLException {
        Map<Integer, List<String>> seen = new TreeMap<>();
        JobResult r = EtlJob.builder("seen-" + binary).source(pool, "SELECT * FROM src").partitionColumn("id")
                .partitions(1).target(pool, "dst").binaryRelay(binary).transform(row -> {
                    List<String> values = new ArrayList<>();
                    for (int i = 0; i < row.size(); i++) {
                        values.add(describe(row.get(i)));
                    }
                    synchronized (seen) {
                        seen.put((Integer) row.get("id"), values);
                    }
                    return List.of(row);
                }).build().run();
        assertThat(r.path()).startsWith(binary ? BINARY : "rows (reason: binaryRelay is off)");
        return seen;
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        String content = v instanceof byte[] ? HexFormat.of().formatHex((byte[]) v)
                : v instanceof PGobject ? ((PGobject) v).getType() + " " + ((PGobject) v).getValue() : v.toString();
        return v.getClass().getSimpleName() + " " + content;
    }

    @Test
    void aTransformThatThrowsStopsTheJobAndTheNextRunLoadsTheRestExactly(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect()) {
            EtlFixtures.createSource(c, "src", 20_000);
            EtlFixtures.createTarget(c, "dst");
            AtomicBoolean fail = new AtomicBoolean(true);
            EtlJob.Builder b = EtlJob.builder("throws").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(2).parallelism(1).chunkSize(1_000).target(pool, "dst").transform(RowTransform.map(r -> {
                        if (fail.get() && r.get("id").equals(13_333L)) {
                            throw new IllegalStateException("the transform refused row 13333");
                        }
                        return r.with("note", r.get("note"));
                    }));
            assertThatThrownBy(() -> b.build().run()).hasMessageContaining("the transform refused row 13333");
            long before = count(c, "dst");
            assertThat(before).isBetween(1L, 19_999L);
            fail.set(false);
            JobResult rest = b.build().run();
            assertThat(rest.path()).startsWith(BINARY);
            assertThat(rest.rowsWritten()).isEqualTo(20_000 - before);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }

    @Test
    void anUnpartitionedJobStoppedOnTheTextPathResumesByPositionOnBinaryRows(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            EtlFixtures.createSource(c, "src", 5_000);
            EtlFixtures.createTarget(c, "dst");
            BinaryRelayTest.failOnce(s, "NEW.id = 3333", "P0001");
            EtlJob.Builder b = EtlJob.builder("whole").source(pool, "SELECT * FROM src ORDER BY id").target(pool, "dst")
                    .chunkSize(500).transform(RowTransform.map(r -> r.with("note", r.get("note"))));
            assertThatThrownBy(() -> b.binaryRelay(false).build().run()).hasMessageContaining("simulated failure");
            long before = count(c, "dst");
            assertThat(before).isBetween(1L, 4_999L);
            // the resume recomputes the digest of the rows it skips from binary rows: the same values, the same digest
            JobResult rest = b.binaryRelay(true).build().run();
            assertThat(rest.path()).isEqualTo(BINARY + ")");
            assertThat(rest.rowsWritten()).isEqualTo(5_000 - before);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }

    @Test
    void rowsTheTargetRefusesGoToTheRejectTableAndTheRestArrives(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id int, v int, t timestamptz)");
            s.execute("CREATE TABLE dst (id int, v int CHECK (v <> 300), t timestamptz)");
            s.execute("INSERT INTO src SELECT g, g, timestamptz '2024-01-01 00:00+00' + g * interval '1 hour' "
                    + "FROM generate_series(1, 400) g");
            JobResult r = EtlJob.builder("rejecting").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(2).parallelism(1).chunkSize(50).target(pool, "dst").rejectTable("rejects")
                    .transform(RowTransform.map(row -> row.with("v", (Integer) row.get("v") * 2))).build().run();
            assertThat(r.path()).startsWith(BINARY);
            assertThat(r.rowsRejected()).isEqualTo(1);
            assertThat(r.rowsWritten()).isEqualTo(399);
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM src JOIN dst ON dst.id = src.id "
                    + "AND dst.v = src.v * 2 AND dst.t = src.t")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(399);
            }
            assertThat(count(c, "rejects")).isEqualTo(1);
        }
    }

    @Test
    void aValueBinaryCopyCannotCarryExactlyGoesByCopyTextAndSaysSo(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id int, v int, n numeric(10,2))");
            s.execute("CREATE TABLE dst (LIKE src)");
            s.execute("INSERT INTO src SELECT g, g, g / 8.0 FROM generate_series(1, 100) g");
            // a String for an integer column: the server's input function parses it, as on the row path
            JobResult r = EtlJob.builder("strings").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(1).chunkSize(30).target(pool, "dst")
                    .transform(RowTransform.map(row -> (Integer) row.get("id") == 40 ? row.with("v", " 40 ") : row))
                    .build().run();
            assertThat(r.path()).contains(BINARY).contains("rows by COPY text for some chunks (reason: column v of type "
                    + "integer got a String from the transform");
            assertThat(RowDiff.between(c, "src", "dst")).isEmpty();
        }
    }

    /**
     * A value that fails binary COPY's exact encoding only as it is encoded (an int array written with a
     * space, which the array's input function reads but the binary path does not take), met after the
     * chunk's first 64 KiB of binary COPY went to the server (and with a column staged by its text form):
     * the chunk is rolled back to before its COPY and written whole as COPY text, inserting or upserting, no
     * row lost or doubled; the partition's later chunks go as COPY text at once.
     */
    @ParameterizedTest
    @EnumSource(value = LoadMode.class, names = {"INSERT", "UPSERT"})
    void aMisfitDeepInAChunkRollsItsBinaryCopyBackAndWritesItAsText(LoadMode mode, TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id int PRIMARY KEY, v int, a int[], pad text, iv interval)");
            s.execute("CREATE TABLE dst (LIKE src INCLUDING ALL)");
            s.execute("INSERT INTO src SELECT g, g, ARRAY[g, 2], repeat('x', 100) || g, g * interval '1 minute' "
                    + "FROM generate_series(1, 8000) g");
            EtlJob.Builder b = EtlJob.builder("deep-misfit-" + mode).source(pool, "SELECT * FROM src")
                    .partitionColumn("id").partitions(1).chunkSize(3000).target(pool, "dst").mode(mode)
                    .transform(RowTransform.map(row -> (Integer) row.get("id") == 2500 ? row.with("a", "{2500, 2}") : row));
            if (mode == LoadMode.UPSERT) {
                b.key("id");
            }
            JobResult r = b.build().run();
            assertThat(r.path()).contains(BINARY).contains("rows by COPY text from a chunk on (reason: column a of "
                    + "type integer[] got a String from the transform");
            assertThat(r.rowsWritten()).isEqualTo(8000);
            assertThat(RowDiff.between(c, "src", "dst")).isEmpty();
        }
    }

    /**
     * A value of a type the column's binary encoding does not take (a String for an integer column) is
     * found before the chunk's COPY starts, so the chunk goes as COPY text without a row sent and rolled
     * back first: the target's sequence hands out exactly one value per row, as on the row path.
     */
    @Test
    void aValueOfTheWrongTypeIsFoundBeforeAnyRowReachesTheTarget(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id int PRIMARY KEY, v int, pad text)");
            s.execute("CREATE TABLE dst (seq bigserial, id int PRIMARY KEY, v int, pad text)");
            s.execute("INSERT INTO src SELECT g, g, repeat('x', 100) || g FROM generate_series(1, 5000) g");
            JobResult r = EtlJob.builder("wrong-type").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(1).chunkSize(3000).target(pool, "dst")
                    .transform(RowTransform.map(row -> (Integer) row.get("id") == 2500 ? row.with("v", " 2500 ") : row))
                    .build().run();
            assertThat(r.path()).contains(BINARY).contains("rows by COPY text for some chunks (reason: column v of type "
                    + "integer got a String from the transform");
            assertThat(r.rowsWritten()).isEqualTo(5000);
            try (ResultSet rs = s.executeQuery("SELECT min(seq), max(seq), count(*), "
                    + "(SELECT last_value FROM dst_seq_seq) FROM dst")) {
                rs.next();
                assertThat(List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                        .as("sequence values: one per row, none used by rows sent and rolled back")
                        .containsExactly(1L, 5000L, 5000L, 5000L);
            }
            assertThat(count(c, "src s JOIN dst d ON d.id = s.id AND d.v = s.v AND d.pad = s.pad"))
                    .as("every row as in the source").isEqualTo(5000L);
        }
    }

    /**
     * A time below the microsecond (what {@code now()} gives in Java) is found as it is encoded: in each
     * chunk at its first row, before any of the chunk's data went to the server, so each chunk goes as COPY
     * text (whose input function rounds it, as on the row path) and the next still tries binary COPY.
     */
    @Test
    void aTimeBelowTheMicrosecondGoesAsCopyTextChunkByChunk(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id int PRIMARY KEY, at timestamptz)");
            s.execute("CREATE TABLE dst (LIKE src INCLUDING ALL)");
            s.execute("INSERT INTO src SELECT g, timestamptz '2024-01-01 00:00:00+00' FROM generate_series(1, 900) g");
            java.time.OffsetDateTime nanos = java.time.OffsetDateTime.parse("2024-01-01T00:00:00.123456789Z");
            JobResult r = EtlJob.builder("nanos").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(1).chunkSize(300).target(pool, "dst")
                    .transform(RowTransform.map(row -> row.with("at", nanos)))
                    .build().run();
            assertThat(r.path()).contains(BINARY).contains("rows by COPY text for some chunks (reason: column at of "
                    + "type timestamp with time zone got a OffsetDateTime").doesNotContain("from a chunk on");
            assertThat(count(c, "dst WHERE at = timestamptz '2024-01-01 00:00:00.123457+00'")).isEqualTo(900L);
        }
    }
}
