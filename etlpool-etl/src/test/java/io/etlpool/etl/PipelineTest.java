package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.etl.PipelineResult.Status;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.etlpool.etl.EtlFixtures.checksum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Several streams in one run: the connection budget, largest first, failure isolation, status and reset. */
@PostgresTest
class PipelineTest {

    private static final int[] ROWS = {12_000, 9_000, 6_000, 3_000};

    private static void sources(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            for (int i = 0; i < ROWS.length; i++) {
                EtlFixtures.createSource(c, "src" + i, ROWS[i]);
            }
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE");
            }
        }
    }

    private static EtlJob.Builder stream(int i, EtlPool shop, EtlPool warehouse) {
        return EtlJob.builder("p.src" + i).source(shop, "SELECT * FROM src" + i).partitionColumn("id").partitions(4)
                .parallelism(2).chunkSize(500).target(warehouse, "dst" + i).createTable(true);
    }

    @Test
    void streamsRunLargestFirstAndTheServerNeverSeesMoreThanTheBudget(TestDatabase db) throws Exception {
        sources(db);
        PipelineFixtures.createWarehouse(db);
        String wh = PipelineFixtures.warehouse(db);
        List<String> started = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger largestMaxSize = new AtomicInteger();
        try (EtlPool shop = PipelineFixtures.pool(db, db.name(), 3);
             EtlPool warehouse = PipelineFixtures.pool(db, wh, 3)) {
            Pipeline.Builder b = Pipeline.builder("p").maxConnections(6).listener(new PipelineListener() {
                @Override
                public void streamStarting(String stream, long estimatedRows, int parallelism) {
                    started.add(stream);
                }

                @Override
                public void progress(String stream, ProgressEvent e) {
                    largestMaxSize.accumulateAndGet(Math.max(e.sourcePool().maxSize(), e.targetPool().maxSize()), Math::max);
                }
            });
            for (int i = ROWS.length - 1; i >= 1; i--) { // declared smallest first
                b.stream(stream(i, shop, warehouse));
            }
            b.stream(stream(0, shop, warehouse).partitions(8).parallelism(8)); // more than the budget holds
            PipelineResult result;
            PipelineFixtures.SessionSampler sampler = new PipelineFixtures.SessionSampler(db, db.name(), wh);
            try (sampler) {
                result = b.build().run();
            }
            assertThat(result.failed()).as(result.toJson()).isFalse();
            assertThat(started).containsExactly("p.src0", "p.src1", "p.src2", "p.src3");
            // two streams of parallelism 2 fit at once: lease + 2 partitions in the target, snapshot + 2 in the source
            assertThat(sampler.samples()).isGreaterThan(10);
            assertThat(sampler.peak.get(db.name())).isBetween(3, 6);
            assertThat(sampler.peak.get(wh)).isBetween(3, 6);
            assertThat(largestMaxSize.get()).as("no run raised a pool above the budget").isEqualTo(6);
            assertThat(shop.stats().maxSize()).as("the pool's own size is given back").isEqualTo(3);
            assertThat(result.connectionBudget()).containsEntry(db.name(), 6).containsEntry(wh, 6);
            // lease + 5 partitions in the target, snapshot + 5 in the source: parallelism 8 lowered to 5
            assertThat(result.stream("p.src0").parallelism()).isEqualTo(5);
            assertThat(result.stream("p.src1").parallelism()).isEqualTo(2);
            try (Connection src = db.connect(); Connection dst = db.server().connect(wh)) {
                for (int i = 0; i < ROWS.length; i++) {
                    assertThat(checksum(dst, "dst" + i)).isEqualTo(checksum(src, "src" + i));
                    assertThat(result.stream("p.src" + i).status()).isEqualTo(Status.LOADED);
                    assertThat(result.stream("p.src" + i).estimatedRows()).isBetween(ROWS[i] / 2L, ROWS[i] * 2L);
                }
            }
        } finally {
            db.server().dropDatabase(wh);
        }
    }

    @Test
    void aFailingStreamKeepsItsWorkStopsNoOtherAndTheRerunFinishesItExactly(TestDatabase db) throws Exception {
        sources(db);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (int i = 0; i < 3; i++) {
                EtlFixtures.createTarget(c, "dst" + i);
            }
            s.execute("ALTER TABLE dst1 ADD CONSTRAINT small_ids CHECK (id <= 7000)"); // rows past 7000 fail
        }
        try (EtlPool pool = EtlFixtures.pool(db, 8)) {
            Pipeline.Builder b = Pipeline.builder("iso").maxConnections(8);
            for (int i = 0; i < 3; i++) {
                b.stream(EtlJob.builder("iso.src" + i).source(pool, "SELECT * FROM src" + i).partitionColumn("id")
                        .partitions(2).parallelism(1).chunkSize(500).maxRetries(0).target(pool, "dst" + i));
            }
            Pipeline pipeline = b.build();
            PipelineResult first = pipeline.run();
            assertThat(first.failed()).isTrue();
            assertThat(first.failedStreams()).extracting(PipelineResult.StreamResult::stream).containsExactly("iso.src1");
            assertThat(first.stream("iso.src1").error()).contains("iso.src1");
            assertThat(first.toJson()).contains("\"stream\":\"iso.src1\"", "\"status\":\"failed\"");
            assertThat(first.stream("iso.src0").status()).isEqualTo(Status.LOADED);
            assertThat(first.stream("iso.src2").status()).isEqualTo(Status.LOADED);
            long kept;
            try (Connection c = db.connect()) {
                assertThat(checksum(c, "dst0")).isEqualTo(checksum(c, "src0"));
                assertThat(checksum(c, "dst2")).isEqualTo(checksum(c, "src2"));
                kept = EtlFixtures.count(c, "dst1");
                assertThat(kept).as("the failed stream's committed chunks stay").isPositive().isLessThan(ROWS[1]);
                try (Statement s = c.createStatement()) {
                    s.execute("ALTER TABLE dst1 DROP CONSTRAINT small_ids");
                }
            }
            PipelineResult second = pipeline.run();
            assertThat(second.failed()).as(second.toJson()).isFalse();
            assertThat(second.stream("iso.src0").status()).isEqualTo(Status.ALREADY_COMPLETE);
            assertThat(second.stream("iso.src2").status()).isEqualTo(Status.ALREADY_COMPLETE);
            assertThat(second.stream("iso.src1").status()).isEqualTo(Status.LOADED);
            assertThat(second.rowsWritten()).isEqualTo(ROWS[1] - kept);
            try (Connection c = db.connect()) {
                assertThat(checksum(c, "dst1")).isEqualTo(checksum(c, "src1"));
            }

            assertThat(pipeline.status().get("iso.src1").finished()).isTrue();
            assertThat(pipeline.reset("iso.src1")).containsOnlyKeys("iso.src1").containsEntry("iso.src1", 2);
            assertThat(pipeline.status().get("iso.src1").partitions()).isEmpty();
            assertThat(pipeline.status().get("iso.src0").finished()).isTrue();
            assertThatThrownBy(() -> pipeline.reset("nope")).hasMessageContaining("no stream 'nope'")
                    .hasMessageContaining("iso.src0");
        }
    }

    @Test
    void whatAPipelineCannotDoExactlyIsRefusedWhenItIsBuilt(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 8); EtlPool again = EtlFixtures.pool(db, 8)) {
            EtlJob.Builder a = EtlJob.builder("a").source(pool, "SELECT 1 AS id").partitionColumn("id").target(pool, "t");
            EtlJob.Builder b = EtlJob.builder("b").source(pool, "SELECT 1 AS id").partitionColumn("id").target(pool, "T");
            assertThatThrownBy(() -> Pipeline.builder("x").stream(a).stream(b).build())
                    .hasMessageContaining("streams 'a' and 'b' both write table t");
            EtlJob.Builder c = EtlJob.builder("c").source(again, "SELECT 1 AS id").partitionColumn("id").target(again, "u");
            assertThatThrownBy(() -> Pipeline.builder("x").stream(a).stream(c).build())
                    .hasMessageContaining("connect to the same database");
            assertThatThrownBy(() -> Pipeline.builder("x").maxConnections(3).stream(a).build())
                    .hasMessageContaining("stream 'a' needs at least 4 of pool").hasMessageContaining("Raise maxConnections");
            EtlJob.Builder upsert = EtlJob.builder("u").source(pool, "SELECT 1 AS id").partitionColumn("id")
                    .target(pool, "v").mode(LoadMode.UPSERT);
            assertThatThrownBy(() -> Pipeline.builder("x").stream(upsert).build()).hasMessageContaining("needs key columns");
        }
    }
}
