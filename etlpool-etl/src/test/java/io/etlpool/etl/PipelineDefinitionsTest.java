package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.etl.PipelineResult.Status;
import io.etlpool.etl.PipelineResult.StreamResult;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Copied tables' definitions in a pipeline: each table's keys and indexes as soon as its stream has loaded,
 * beside the streams still loading; the foreign keys and sequences once every table is complete; a failed
 * load or a refused key named, the other streams' work kept, and the next run completing what is missing.
 */
@PostgresTest
class PipelineDefinitionsTest {

    private static void source(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE pa (id serial PRIMARY KEY, v text NOT NULL)");
            s.execute("INSERT INTO pa (v) SELECT 'v' || g FROM generate_series(1, 500) g");
            s.execute("CREATE INDEX pa_v ON pa (v)");
            s.execute("CREATE TABLE pb (id int PRIMARY KEY, a_id int NOT NULL REFERENCES pa, note text)");
            s.execute("INSERT INTO pb SELECT g, 1 + g % 500, 'n' || g FROM generate_series(1, 2000) g");
            s.execute("ANALYZE");
        }
    }

    private static EtlJob.Builder copy(String table, EtlPool source, EtlPool target) {
        return EtlJob.builder("d." + table).source(source, "SELECT * FROM " + table).partitionColumn("id")
                .partitions(2).parallelism(1).chunkSize(200).maxRetries(0).target(target, table).createTable(true);
    }

    private static boolean has(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next();
        }
    }

    private static String constraint(String name) {
        return "SELECT 1 FROM pg_constraint WHERE conname = '" + name + "'";
    }

    @Test
    void aTablesKeysAndIndexesAreBuiltOnceItsStreamLoadedWhileAnotherStreamIsStillLoading(TestDatabase db)
            throws Exception {
        source(db);
        PipelineFixtures.createWarehouse(db);
        String wh = PipelineFixtures.warehouse(db);
        try (EtlPool shop = PipelineFixtures.pool(db, db.name(), 8); EtlPool warehouse = PipelineFixtures.pool(db, wh, 8);
             Connection holder = db.server().connect(wh); Connection look = db.server().connect(wh)) {
            // pb's target exists, and a transaction holds it in SHARE mode: pb's stream cannot write a row until
            // that commits, which happens only once pa's stream has told it finished
            try (Statement s = holder.createStatement()) {
                s.execute("CREATE TABLE pb (id int NOT NULL, a_id int NOT NULL, note text)");
                holder.setAutoCommit(false);
                s.execute("LOCK TABLE pb IN SHARE MODE");
            }
            CountDownLatch released = new CountDownLatch(1);
            List<String> seenWhenPaFinished = new ArrayList<>();
            Thread watchdog = new Thread(() -> { // never leaves pb waiting forever, whatever happens
                try {
                    if (!released.await(120, TimeUnit.SECONDS)) {
                        synchronized (holder) {
                            holder.commit();
                        }
                    }
                } catch (Exception ignored) {
                    // the test's assertions tell what went wrong
                }
            });
            watchdog.setDaemon(true);
            watchdog.start();
            Pipeline pipeline = Pipeline.builder("d").maxConnections(8).listener(new PipelineListener() {
                @Override
                public void streamFinished(StreamResult result) {
                    if (!result.stream().equals("d.pa")) {
                        return;
                    }
                    try {
                        seenWhenPaFinished.add("pa " + result.status());
                        seenWhenPaFinished.add("pa_pkey " + has(look, constraint("pa_pkey")));
                        seenWhenPaFinished.add("pa_v " + has(look, "SELECT 1 FROM pg_indexes WHERE indexname = 'pa_v'"));
                        seenWhenPaFinished.add("pb rows " + has(look, "SELECT 1 FROM pb"));
                        synchronized (holder) {
                            holder.commit();
                        }
                    } catch (SQLException e) {
                        seenWhenPaFinished.add(e.toString());
                    } finally {
                        released.countDown();
                    }
                }
            }).tableStream("pa", copy("pa", shop, warehouse)).tableStream("pb", copy("pb", shop, warehouse)).build();

            PipelineResult result = pipeline.run();

            assertThat(result.failed()).as(result.toJson()).isFalse();
            assertThat(seenWhenPaFinished).as("pa's keys and index were there while pb had not written a row")
                    .containsExactly("pa LOADED", "pa_pkey true", "pa_v true", "pb rows false");
            assertThat(has(look, constraint("pb_pkey"))).isTrue();
            assertThat(has(look, constraint("pb_a_id_fkey"))).as("the foreign key, at the end").isTrue();
            assertThat(result.definitions()).isEqualTo("as each table loaded: 2 primary keys, 1 index; "
                    + "at the end: 1 foreign key, 1 sequence set");
            try (Statement s = look.createStatement(); ResultSet rs = s.executeQuery("SELECT nextval('pa_id_seq')")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the sequence is set from the source").isEqualTo(501);
            }
            try (Connection src = db.connect()) {
                assertThat(EtlFixtures.checksum(look, "pb")).isEqualTo(EtlFixtures.checksum(src, "pb"));
            }
        } finally {
            db.server().dropDatabase(wh);
        }
    }

    @Test
    void aFailedLoadGetsNoKeysARefusedKeyIsNamedAndTheNextRunCompletesBoth(TestDatabase db) throws Exception {
        source(db);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE pc (id int PRIMARY KEY, code text NOT NULL UNIQUE)");
            s.execute("INSERT INTO pc SELECT g, 'c' || g FROM generate_series(1, 300) g");
        }
        PipelineFixtures.createWarehouse(db);
        String wh = PipelineFixtures.warehouse(db);
        try (EtlPool shop = PipelineFixtures.pool(db, db.name(), 10); EtlPool warehouse = PipelineFixtures.pool(db, wh, 10);
             Connection look = db.server().connect(wh)) {
            try (Statement s = look.createStatement()) {
                // pb's load fails past id 1000; pc gets every row, and one more that repeats a key
                s.execute("CREATE TABLE pb (id int NOT NULL CONSTRAINT small_ids CHECK (id <= 1000), "
                        + "a_id int NOT NULL, note text)");
                s.execute("CREATE TABLE pc (id int NOT NULL, code text NOT NULL)");
                s.execute("INSERT INTO pc VALUES (1, 'extra')");
            }
            Pipeline pipeline = Pipeline.builder("d").maxConnections(10).tableStream("pa", copy("pa", shop, warehouse))
                    .tableStream("pb", copy("pb", shop, warehouse)).tableStream("pc", copy("pc", shop, warehouse)).build();

            PipelineResult first = pipeline.run();

            assertThat(first.failedStreams()).extracting(StreamResult::stream).containsExactlyInAnyOrder("d.pb", "d.pc");
            assertThat(first.stream("d.pa").status()).isEqualTo(Status.LOADED);
            assertThat(has(look, constraint("pa_pkey"))).as("a loaded table has its key").isTrue();
            assertThat(has(look, constraint("pb_pkey"))).as("a table whose load failed has none yet").isFalse();
            assertThat(first.stream("d.pc").error()).contains("its rows are loaded", "table public.pc",
                    "primary key \"pc_pkey\"", "could not be added");
            assertThat(first.stream("d.pc").rowsWritten()).isEqualTo(300);
            assertThat(has(look, constraint("pc_pkey"))).isFalse();
            assertThat(has(look, constraint("pc_code_key"))).as("a table's keys go in together or not at all").isFalse();
            assertThat(has(look, constraint("pb_a_id_fkey"))).as("foreign keys wait for every table").isFalse();
            assertThat(first.definitions()).contains("foreign keys and sequences not added", "d.pb", "d.pc");
            assertThat(first.toJson()).contains("\"stream\":\"d.pc\",\"table\":\"pc\",\"status\":\"failed\"");
            long kept;
            try (Statement s = look.createStatement()) {
                kept = EtlFixtures.count(look, "pb");
                assertThat(kept).as("the failed load's committed chunks stay").isPositive().isLessThan(2000);
                s.execute("ALTER TABLE pb DROP CONSTRAINT small_ids");
                s.execute("DELETE FROM pc WHERE code = 'extra'");
            }

            PipelineResult second = pipeline.run();

            assertThat(second.failed()).as(second.toJson()).isFalse();
            assertThat(second.stream("d.pa").status()).isEqualTo(Status.ALREADY_COMPLETE);
            assertThat(second.stream("d.pc").status()).isEqualTo(Status.ALREADY_COMPLETE);
            assertThat(second.stream("d.pb").rowsWritten()).isEqualTo(2000 - kept);
            for (String name : List.of("pa_pkey", "pb_pkey", "pc_pkey", "pc_code_key", "pb_a_id_fkey")) {
                assertThat(has(look, constraint(name))).as(name).isTrue();
            }
            assertThat(second.definitions()).isEqualTo("as each table loaded: 2 primary keys, 1 unique constraint; "
                    + "at the end: 1 foreign key, 1 sequence set");
            try (Connection src = db.connect()) {
                for (String t : List.of("pa", "pb", "pc")) {
                    assertThat(EtlFixtures.checksum(look, t)).as(t).isEqualTo(EtlFixtures.checksum(src, t));
                }
            }
        } finally {
            db.server().dropDatabase(wh);
        }
    }

    @Test
    void foreignKeysThatShareTablesOrFormACycleAreAllAddedSideBySide(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE parent (id int PRIMARY KEY, up int REFERENCES parent)");
            s.execute("INSERT INTO parent SELECT g, nullif(g - 1, 0) FROM generate_series(1, 300) g");
            s.execute("CREATE TABLE c1 (id int PRIMARY KEY, p int NOT NULL REFERENCES parent, c2 int)");
            s.execute("CREATE TABLE c2 (id int PRIMARY KEY, p int NOT NULL REFERENCES parent, c1 int REFERENCES c1)");
            s.execute("ALTER TABLE c1 ADD FOREIGN KEY (c2) REFERENCES c2");
            s.execute("INSERT INTO c1 SELECT g, 1 + g % 300, NULL FROM generate_series(1, 400) g");
            s.execute("INSERT INTO c2 SELECT g, 1 + g % 300, 1 + g % 400 FROM generate_series(1, 400) g");
            s.execute("UPDATE c1 SET c2 = id");
            s.execute("ANALYZE");
        }
        PipelineFixtures.createWarehouse(db);
        String wh = PipelineFixtures.warehouse(db);
        try (EtlPool shop = PipelineFixtures.pool(db, db.name(), 12); EtlPool warehouse = PipelineFixtures.pool(db, wh, 12);
             Connection look = db.server().connect(wh)) {
            Pipeline.Builder b = Pipeline.builder("d").maxConnections(12);
            for (String t : List.of("parent", "c1", "c2")) {
                b.tableStream(t, copy(t, shop, warehouse).parallelism(2));
            }
            PipelineResult result = b.build().run();
            assertThat(result.failed()).as(result.toJson()).isFalse();
            assertThat(result.definitions()).endsWith("at the end: 5 foreign keys");
            assertThat(EtlFixtures.count(look, "pg_constraint WHERE contype = 'f'")).isEqualTo(5);
        } finally {
            db.server().dropDatabase(wh);
        }
    }
}
