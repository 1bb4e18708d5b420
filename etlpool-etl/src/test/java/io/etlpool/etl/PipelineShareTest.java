package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import static io.etlpool.etl.EtlFixtures.checksum;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pipeline stream that sets no parallelism runs its default times its share of the pipeline's rows
 * (rounded up), so that tables go side by side before one table is split; a stream that sets its
 * parallelism keeps it.
 */
@PostgresTest
class PipelineShareTest {

    @Test
    void aStreamIsSplitOnlyWhenItHoldsMoreThanACoresShareOfTheRows(TestDatabase db) throws Exception {
        Map<String, Integer> rows = Map.of("big", 6_000, "mid", 3_000, "small", 1_000);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (Map.Entry<String, Integer> t : rows.entrySet()) {
                EtlFixtures.createSource(c, t.getKey(), t.getValue());
            }
            EtlFixtures.createSource(c, "fixed", 1_000);
            s.execute("ANALYZE");
        }
        PipelineFixtures.createWarehouse(db);
        String wh = PipelineFixtures.warehouse(db);
        int own = EtlJob.defaultParallelism(EtlJob.DEFAULT_PARTITIONS, Runtime.getRuntime().availableProcessors());
        try (EtlPool shop = PipelineFixtures.pool(db, db.name(), 12);
             EtlPool warehouse = PipelineFixtures.pool(db, wh, 12)) {
            Pipeline.Builder b = Pipeline.builder("share");
            for (String t : rows.keySet()) {
                b.stream(EtlJob.builder("share." + t).source(shop, "SELECT * FROM " + t).partitionColumn("id")
                        .chunkSize(500).target(warehouse, t).createTable(true));
            }
            b.stream(EtlJob.builder("share.fixed").source(shop, "SELECT * FROM fixed").partitionColumn("id")
                    .parallelism(2).chunkSize(500).target(warehouse, "fixed").createTable(true));
            PipelineResult result = b.build().run();
            assertThat(result.failed()).as(result.toJson()).isFalse();
            long total = 11_000;
            for (Map.Entry<String, Integer> t : rows.entrySet()) {
                int share = (int) Math.max(1, Math.ceil(own * (double) t.getValue() / total));
                assertThat(result.stream("share." + t.getKey()).parallelism()).as(t.getKey()).isEqualTo(share);
            }
            assertThat(result.stream("share.fixed").parallelism()).as("a parallelism the stream set").isEqualTo(2);
            try (Connection src = db.connect(); Connection dst = db.server().connect(wh)) {
                for (String t : new String[] {"big", "mid", "small", "fixed"}) {
                    assertThat(checksum(dst, t)).as(t).isEqualTo(checksum(src, t));
                }
            }
        }
    }
}
