package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's ETL example, compiled and run: if this test changes, change the README with it. */
@PostgresTest
class ReadmeEtlExampleTest {

    @Test
    void theReadmeEtlExampleWorks(TestDatabase db) throws SQLException {
        try (EtlPool shop = EtlFixtures.pool(db, 8); EtlPool warehouse = EtlFixtures.pool(db, 8)) {
            shop.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int, amount numeric(10,2))");
            shop.execute("INSERT INTO orders SELECT g, g % 100, g * 0.5 FROM generate_series(1, 50000) g");

            // --- README example starts
            EtlJob job = EtlJob.builder("orders-to-warehouse")
                    .source(shop, "SELECT id, customer_id, amount FROM orders")
                    .partitionColumn("id").partitions(8)          // key ranges extracted in parallel
                    .column("id", "id")                           // optional mapping: SQL over the source
                    .column("customer", "customer_id")
                    .column("amount_cents", "(amount * 100)::bigint")
                    .target(warehouse, "fact_orders").createTable(true)
                    .mode(LoadMode.UPSERT).key("id")              // or INSERT, TRUNCATE_INSERT
                    .method(LoadMethod.COPY)                      // or BATCH
                    .parallelism(4).chunkSize(10_000)
                    .listener(p -> System.out.printf("%,d rows, %d/%d partitions%n",
                            p.rowsWritten(), p.partitionsDone(), p.partitions()))
                    .build();
            JobResult result = job.run();   // run it again after a crash: it resumes, exactly once
            System.out.println(result.toJson());
            // --- README example ends

            assertThat(result.rowsWritten()).isEqualTo(50_000);
            assertThat(warehouse.query("SELECT sum(amount_cents) AS s FROM fact_orders").get(0).getLong("s"))
                    .isEqualTo(62_501_250_000L); // 50 * (1 + ... + 50,000)
            assertThat(job.run().alreadyComplete()).isTrue();
        }
    }
}
