package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.embedded.EmbeddedPostgres;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.etlpool.etl.EtlFixtures.checksum;
import static io.etlpool.etl.EtlFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Incremental jobs on PostgreSQL: a late commit, an interrupted increment, a run with nothing new, soft
 * deletes, an integer cursor, a full refresh; each compared row by row with the source.
 */
@PostgresTest
class IncrementalLoadTest {

    static final String COLUMNS = "id bigint PRIMARY KEY, amount int NOT NULL, updated_at timestamptz NOT NULL, "
            + "deleted boolean NOT NULL DEFAULT false";

    /** {@code rows} rows with cursors in January 2026, long before any run. */
    static void createTables(Connection c, int rows) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (" + COLUMNS + ")");
            s.execute("CREATE TABLE dst (" + COLUMNS + ")");
            s.execute("INSERT INTO src SELECT g, g * 10, timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second', "
                    + "false FROM generate_series(1, " + rows + ") g");
        }
    }

    static EtlJob.Builder upsertJob(EtlPool pool, Incremental incremental) {
        return EtlJob.builder("inc").source(pool, "SELECT * FROM src").target(pool, "dst")
                .mode(LoadMode.UPSERT).key("id").incremental(incremental).partitions(4).parallelism(2).chunkSize(100);
    }

    /** Waits (by polling the server's clock, not by a fixed sleep) until the source's clock is past t plus 1 s. */
    static void awaitClockPast(Connection c, OffsetDateTime t) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (PreparedStatement ps = c.prepareStatement("SELECT clock_timestamp() > CAST(? AS timestamptz) "
                + "+ interval '1100 milliseconds'")) {
            ps.setObject(1, t);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return;
                    }
                }
                assertThat(System.nanoTime()).as("the server's clock moves").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    static OffsetDateTime now(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT now()")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class);
        }
    }

    @Test
    void aTransactionThatWroteBeforeTheRunAndCommitsAfterItsSnapshotIsLoadedByTheNextRun(TestDatabase db)
            throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 6); Connection c = db.connect(); Connection late = db.connect()) {
            createTables(c, 1_000);
            late.setAutoCommit(false);
            try (Statement s = late.createStatement()) {
                // an update and an insert, cursor = now(): the start of this transaction, before the run
                s.executeUpdate("UPDATE src SET amount = -5, updated_at = now() WHERE id = 5");
                s.executeUpdate("INSERT INTO src VALUES (5000, 1, now(), false)");
            }
            OffsetDateTime lateStart = now(late);
            awaitClockPast(c, lateStart); // a bound at the clock alone would now lie past the late rows

            JobResult first = upsertJob(pool, Incremental.cursor("updated_at")).build().run();
            assertThat(first.rowsWritten()).isEqualTo(1_000);
            assertThat(first.increment()).contains("increment 1", "held back by the transaction of pid");

            late.commit(); // after the first run's snapshot
            awaitClockPast(c, now(c));
            JobResult second = upsertJob(pool, Incremental.cursor("updated_at")).build().run();
            assertThat(second.rowsWritten()).isEqualTo(2);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }

    @Test
    void anAppendJobLoadsALateInsertOnceAndEveryOtherRowOnce(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 6); Connection c = db.connect(); Connection late = db.connect()) {
            createTables(c, 2_000);
            late.setAutoCommit(false);
            try (Statement s = late.createStatement()) {
                s.executeUpdate("INSERT INTO src VALUES (5000, 1, now(), false)");
            }
            awaitClockPast(c, now(late));
            EtlJob.Builder append = EtlJob.builder("append").source(pool, "SELECT * FROM src").target(pool, "dst")
                    .incremental(Incremental.cursor("updated_at")).partitions(3).chunkSize(300);
            assertThat(append.build().run().rowsWritten()).isEqualTo(2_000);
            late.commit();
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO src VALUES (5001, 2, now(), false)");
            }
            awaitClockPast(c, now(c));
            assertThat(append.build().run().rowsWritten()).isEqualTo(2);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }

    @Test
    void aRunWithNothingNewSucceedsAndTheNextRunLoadsWhatCameAfter(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 6); Connection c = db.connect(); Statement s = c.createStatement()) {
            createTables(c, 500);
            EtlJob job = upsertJob(pool, Incremental.cursor("updated_at")).build();
            assertThat(job.run().rowsWritten()).isEqualTo(500);
            JobResult nothing = job.run();
            assertThat(nothing.alreadyComplete()).isFalse();
            assertThat(nothing.rowsWritten()).isZero();
            assertThat(nothing.increment()).contains("increment 2");

            JobStatus.Increment status = job.status().increment();
            assertThat(status.number()).isEqualTo(2);
            assertThat(status.done()).isTrue();
            // rows written after the watermark, with cursors of the client's choosing just past it
            s.executeUpdate("INSERT INTO src SELECT g, g, CAST('" + status.watermark() + "' AS timestamptz) "
                    + "+ interval '1 microsecond', false FROM generate_series(501, 520) g");
            s.executeUpdate("UPDATE src SET amount = 0, updated_at = CAST('" + status.watermark() + "' AS timestamptz) "
                    + "WHERE id = 7");
            JobResult third = job.run();
            assertThat(third.rowsWritten()).isEqualTo(21);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }

    @Test
    void anIncrementInterruptedAfterLaterPartitionsCommittedResumesWithItsBoundsAndLosesNothing(TestDatabase db)
            throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 10); Connection c = db.connect(); Statement s = c.createStatement()) {
            createTables(c, 4_000);
            CountDownLatch othersDone = new CountDownLatch(3);
            AtomicBoolean fault = new AtomicBoolean(true);
            EtlJob.Builder b = EtlJob.builder("append").source(pool, "SELECT * FROM src").target(pool, "dst")
                    .incremental(Incremental.cursor("updated_at")).partitions(4).parallelism(4).chunkSize(250)
                    .listener(e -> {
                        if (e.partitionDone()) {
                            othersDone.countDown();
                        }
                    })
                    .transform(r -> {
                        // the first partition fails once the three later ones have committed all their rows
                        if (fault.get() && ((Number) r.get("id")).longValue() == 1) {
                            try {
                                othersDone.await(60, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            throw new IllegalStateException("fault injected after the later partitions committed");
                        }
                        return List.of(r);
                    });
            assertThatThrownBy(() -> b.build().run()).isInstanceOf(JobFailedException.class);
            assertThat(othersDone.getCount()).isZero();
            long committed = count(c, "dst");
            assertThat(committed).isBetween(2_000L, 3_999L);
            assertThat(b.build().status().increment().watermark()).as("no watermark past unloaded rows").isNull();

            // rows that arrive meanwhile belong to the next increment, not to the resumed one
            s.executeUpdate("INSERT INTO src SELECT g, g, now(), false FROM generate_series(4001, 4100) g");
            fault.set(false);
            JobResult resumed = b.build().run();
            assertThat(resumed.increment()).contains("increment 1 (resumed)");
            assertThat(resumed.rowsWritten()).isEqualTo(4_000 - committed);
            assertThat(count(c, "dst")).isEqualTo(4_000);

            awaitClockPast(c, now(c));
            assertThat(b.build().run().rowsWritten()).isEqualTo(100);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }

    @Test
    void aSoftDeletedRowIsRemovedFromTheTarget(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 6); Connection c = db.connect(); Statement s = c.createStatement()) {
            createTables(c, 300);
            EtlJob job = upsertJob(pool, Incremental.cursor("updated_at").softDelete("deleted")).build();
            assertThat(job.run().rowsWritten()).isEqualTo(300);
            String watermark = job.status().increment().watermark();
            s.executeUpdate("UPDATE src SET deleted = true, updated_at = CAST('" + watermark + "' AS timestamptz) "
                    + "WHERE id IN (3, 4, 250)");
            JobResult second = job.run();
            assertThat(second.increment()).contains("3 soft-deleted row(s) removed");
            assertThat(count(c, "dst")).isEqualTo(297);
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM dst WHERE id IN (3, 4, 250) OR deleted")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    @Test
    void anIntegerCursorWaitsForASequenceValueHandedToATransactionStillInProgress(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 6); Connection c = db.connect(); Connection late = db.connect();
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE events (id bigserial PRIMARY KEY, payload text NOT NULL)");
            s.execute("CREATE TABLE events_copy (id bigint PRIMARY KEY, payload text NOT NULL)");
            s.execute("INSERT INTO events (payload) SELECT 'e' || g FROM generate_series(1, 1000) g");
            EtlJob job = EtlJob.builder("events").source(pool, "SELECT * FROM events").target(pool, "events_copy")
                    .incremental(Incremental.cursor("id")).partitions(2).build();
            assertThat(job.run().rowsWritten()).isEqualTo(1_000);

            late.setAutoCommit(false);
            try (Statement l = late.createStatement()) {
                l.executeUpdate("INSERT INTO events (payload) VALUES ('late')"); // id 1001, not yet committed
            }
            s.executeUpdate("INSERT INTO events (payload) VALUES ('early')"); // id 1002, committed
            JobResult held = job.run();
            assertThat(held.rowsWritten()).as("1002 waits: 1001 may still commit").isZero();

            late.commit();
            assertThat(job.run().rowsWritten()).isEqualTo(2);
            assertThat(checksum(c, "events_copy")).isEqualTo(checksum(c, "events"));
        }
    }

    @Test
    void aFirstIntegerCursorRunWaitsForTheTransactionsInProgressToEndInsteadOfLoadingNothing(TestDatabase db)
            throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 6); Connection c = db.connect(); Connection busy = db.connect();
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE events (id bigserial PRIMARY KEY, payload text NOT NULL)");
            s.execute("CREATE TABLE events_copy (id bigint PRIMARY KEY, payload text NOT NULL)");
            s.execute("INSERT INTO events (payload) SELECT 'e' || g FROM generate_series(1, 1000) g");
            // another session's transaction, begun before the run and ended while it computes its bound: on a
            // busy source some transaction always is in progress when a run probes the sequence
            busy.setAutoCommit(false);
            try (Statement b = busy.createStatement()) {
                b.execute("SELECT 1");
            }
            Thread ender = new Thread(() -> {
                try {
                    Thread.sleep(1_500);
                    busy.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ender.start();
            JobResult first = EtlJob.builder("events").source(pool, "SELECT * FROM events").target(pool, "events_copy")
                    .incremental(Incremental.cursor("id")).partitions(2).build().run();
            ender.join();
            assertThat(first.rowsWritten()).as(first.increment()).isEqualTo(1_000);
            assertThat(checksum(c, "events_copy")).isEqualTo(checksum(c, "events"));
        }
    }

    @Test
    void aFullRefreshLoadsEverythingAgainOnEveryRun(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 6); Connection c = db.connect(); Statement s = c.createStatement()) {
            createTables(c, 400);
            EtlJob job = EtlJob.builder("refresh").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(3).target(pool, "dst").mode(LoadMode.FULL_REFRESH).build();
            assertThat(job.run().rowsWritten()).isEqualTo(400);
            s.executeUpdate("DELETE FROM src WHERE id <= 10");
            s.executeUpdate("UPDATE src SET amount = 1 WHERE id = 20");
            JobResult again = job.run();
            assertThat(again.alreadyComplete()).isFalse();
            assertThat(again.rowsWritten()).isEqualTo(390);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }

    @Test
    void aPreparedTransactionHoldsTheWatermarkUntilItCommits() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().setting("max_prepared_transactions", "2").start();
             EtlPool pool = EtlPool.builder().jdbcUrl(server.jdbcUrl("postgres")).username(server.superuser())
                     .password(server.password()).maxSize(6).build();
             Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            createTables(c, 100);
            // written with its start time, then prepared: no session shows that start any more
            s.execute("BEGIN");
            s.executeUpdate("INSERT INTO src VALUES (500, 1, now(), false)");
            s.execute("PREPARE TRANSACTION 'etl-late'");
            try {
                awaitClockPast(c, now(c));
                JobResult held = upsertJob(pool, Incremental.cursor("updated_at")).build().run();
                assertThat(held.rowsWritten()).isZero();
                assertThat(held.increment()).contains("held back by the prepared transaction 'etl-late'");
            } finally {
                s.execute("COMMIT PREPARED 'etl-late'");
            }
            awaitClockPast(c, now(c));
            assertThat(upsertJob(pool, Incremental.cursor("updated_at")).build().run().rowsWritten()).isEqualTo(101);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }

    @Test
    void aUserWhoCannotSeeWhenOtherSessionsTransactionsStartedIsRefusedUntilGrantedPgReadAllStats(TestDatabase db)
            throws Exception {
        String role = ("reader_" + db.name()).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        try (Connection c = db.connect(); Statement s = c.createStatement()) { // c: another user's session
            createTables(c, 100);
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'reader-secret'");
            try {
                s.execute("GRANT SELECT, INSERT, UPDATE ON src, dst TO " + role);
                s.execute("GRANT CREATE ON SCHEMA public TO " + role);
                try (EtlPool reader = EtlPool.builder().jdbcUrl(db.jdbcUrl()).username(role).password("reader-secret")
                        .maxSize(6).build()) {
                    EtlJob job = upsertJob(reader, Incremental.cursor("updated_at")).build();
                    assertThatThrownBy(job::run).satisfies(e -> assertThat(JobDefinitionException.in(e)).isTrue())
                            .hasMessageContaining("pg_stat_activity hides when the transactions of")
                            .hasMessageContaining("GRANT pg_read_all_stats");
                    assertThat(count(c, "dst")).isZero();
                    s.execute("GRANT pg_read_all_stats TO " + role);
                    assertThat(job.run().rowsWritten()).isEqualTo(100);
                }
            } finally {
                s.execute("DROP OWNED BY " + role);
                s.execute("DROP ROLE " + role);
            }
        }
    }

    @Test
    void aCursorThatMayBeNullOrHasNoOrderIsRefusedBeforeAnyRowMoves(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE loose (id bigint PRIMARY KEY, changed timestamptz, doc json NOT NULL, "
                    + "flag boolean NOT NULL)");
            s.execute("INSERT INTO loose VALUES (1, now(), '{}', true)");
            for (String[] bad : new String[][] {{"changed", "may be NULL"}, {"doc", "of type json"},
                    {"flag", "of type bool"}}) {
                EtlJob job = EtlJob.builder("loose-" + bad[0]).source(pool, "SELECT * FROM loose")
                        .partitionColumn("id").target(pool, "loose_copy").createTable(true)
                        .incremental(Incremental.cursor(bad[0])).build();
                assertThatThrownBy(job::run).satisfies(e -> assertThat(JobDefinitionException.in(e)).isTrue())
                        .hasMessageContaining("incremental cursor " + bad[0]).hasMessageContaining(bad[1]);
            }
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('loose_copy') IS NULL")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("nothing was created or loaded").isTrue();
            }
            assertThatThrownBy(() -> EtlJob.builder("x").source(pool, "SELECT * FROM loose").target(pool, "t")
                    .incremental(Incremental.cursor("changed").lookback(java.time.Duration.ofMinutes(5))).build())
                    .hasMessageContaining("lookback reads rows again, which only mode UPSERT merges");
            assertThatThrownBy(() -> EtlJob.builder("x").source(pool, "SELECT * FROM loose").target(pool, "t")
                    .mode(LoadMode.UPSERT).incremental(Incremental.cursor("changed")).build())
                    .hasMessageContaining("mode UPSERT needs key columns");
            assertThatThrownBy(() -> EtlJob.builder("x").source(pool, "SELECT * FROM loose").target(pool, "t")
                    .mode(LoadMode.TRUNCATE_INSERT).incremental(Incremental.cursor("changed")).build())
                    .hasMessageContaining("an incremental job appends (mode INSERT) or upserts");
        }
    }
}
