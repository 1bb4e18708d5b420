package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.etlpool.etl.EtlFixtures.checksum;
import static org.assertj.core.api.Assertions.assertThat;

/** A stream with fewer partitions left than it holds connections for gives the surplus to the next stream. */
@PostgresTest
class PipelineSurplusTest {

    @Test
    void theNextStreamStartsWhileTheFirstStreamsLastPartitionStillRuns(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            EtlFixtures.createSource(c, "big", 4_000);
            EtlFixtures.createSource(c, "small", 100);
            s.execute("ANALYZE");
        }
        PipelineFixtures.createWarehouse(db);
        String wh = PipelineFixtures.warehouse(db);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch smallStarted = new CountDownLatch(1);
        AtomicInteger held = new AtomicInteger(-1); // the big stream's partition kept at its first chunk
        try (EtlPool shop = PipelineFixtures.pool(db, db.name(), 4);
             EtlPool warehouse = PipelineFixtures.pool(db, wh, 4)) {
            // big: lease + 2 partitions in the target (3), small: lease + 1 (2); a budget of 4 runs one at a time
            // unless big gives back the pair of the partition it no longer runs
            Pipeline.Builder b = Pipeline.builder("s").maxConnections(4).listener(new PipelineListener() {
                @Override
                public void streamStarting(String stream, long estimatedRows, int parallelism) {
                    events.add("start " + stream);
                    if (stream.equals("s.small")) {
                        smallStarted.countDown();
                    }
                }

                @Override
                public void progress(String stream, ProgressEvent e) {
                    if (!stream.equals("s.big")) {
                        return;
                    }
                    if (e.partitionDone()) {
                        events.add("done s.big " + e.partition());
                    } else if (held.compareAndSet(-1, e.partition()) || held.get() == e.partition()) {
                        try { // the bound only ends the wait when the stream never gives back its surplus
                            smallStarted.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            });
            b.stream(EtlJob.builder("s.small").source(shop, "SELECT * FROM small").partitionColumn("id").partitions(1)
                    .parallelism(1).chunkSize(500).target(warehouse, "small").createTable(true));
            b.stream(EtlJob.builder("s.big").source(shop, "SELECT * FROM big").partitionColumn("id").partitions(2)
                    .parallelism(2).chunkSize(500).target(warehouse, "big").createTable(true));
            PipelineResult result;
            PipelineFixtures.SessionSampler sampler = new PipelineFixtures.SessionSampler(db, db.name(), wh);
            try (sampler) {
                result = b.build().run();
            }
            assertThat(result.failed()).as(result.toJson()).isFalse();
            assertThat(result.stream("s.big").parallelism()).isEqualTo(2);
            assertThat(events.get(0)).isEqualTo("start s.big");
            assertThat(events).as("the small stream starts before the big stream's last partition ends")
                    .containsSubsequence("start s.small", "done s.big " + held.get());
            assertThat(sampler.peak.get(db.name())).isLessThanOrEqualTo(4);
            assertThat(sampler.peak.get(wh)).isLessThanOrEqualTo(4);
            try (Connection src = db.connect(); Connection dst = db.server().connect(wh)) {
                assertThat(checksum(dst, "big")).isEqualTo(checksum(src, "big"));
                assertThat(checksum(dst, "small")).isEqualTo(checksum(src, "small"));
            }
        } finally {
            db.server().dropDatabase(wh);
        }
    }
}
