package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's pipeline example, compiled and run: if this test changes, change the README with it. */
@PostgresTest
class ReadmePipelineExampleTest {

    @Test
    void theReadmePipelineExampleWorks(TestDatabase db) throws Exception {
        PipelineFixtures.createWarehouse(db);
        try (EtlPool shop = PipelineFixtures.pool(db, db.name(), 8);
             EtlPool warehouse = PipelineFixtures.pool(db, PipelineFixtures.warehouse(db), 8)) {
            shop.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int, amount numeric(10,2))");
            shop.execute("INSERT INTO orders SELECT g, g % 100, g * 0.5 FROM generate_series(1, 50000) g");
            shop.execute("CREATE TABLE customers (id int PRIMARY KEY, name text)");
            shop.execute("INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 100) g");

            // --- README example starts
            Pipeline pipeline = Pipeline.builder("shop-to-warehouse")
                    .maxConnections(6)                            // per database, every connection counted
                    .stream(EtlJob.builder("orders")              // each stream is a job of its own
                            .source(shop, "SELECT * FROM orders").partitionColumn("id")
                            .target(warehouse, "orders").createTable(true))
                    .stream(EtlJob.builder("customers")
                            .source(shop, "SELECT * FROM customers").partitionColumn("id")
                            .target(warehouse, "customers").createTable(true)
                            .mode(LoadMode.UPSERT).key("id"))
                    .listener(new PipelineListener() {
                        @Override
                        public void streamFinished(PipelineResult.StreamResult s) {
                            System.out.println(s.stream() + ": " + s.status() + ", " + s.rowsWritten() + " rows");
                        }
                    })
                    .build();
            PipelineResult result = pipeline.run();   // again: finished streams do nothing, failed ones resume
            System.out.println(result.toJson());      // per stream: status, rows, path, error; and the totals
            // --- README example ends

            assertThat(result.failed()).isFalse();
            assertThat(result.stream("orders").rowsWritten()).isEqualTo(50_000);
            assertThat(result.stream("customers").rowsWritten()).isEqualTo(100);
            assertThat(warehouse.query("SELECT sum(amount) AS s FROM orders").get(0).get("s", java.math.BigDecimal.class))
                    .isEqualByComparingTo("625012500");
            assertThat(pipeline.run().rowsWritten()).isZero();
        } finally {
            db.server().dropDatabase(PipelineFixtures.warehouse(db));
        }
    }
}
