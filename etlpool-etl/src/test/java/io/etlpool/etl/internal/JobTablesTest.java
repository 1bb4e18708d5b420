package io.etlpool.etl.internal;

import io.etlpool.EtlPool;
import io.etlpool.etl.EtlException;
import io.etlpool.etl.EtlJob;
import io.etlpool.etl.LoadMode;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whole-table jobs: targets created from the source tables (an upsert's key at once), completed after the load. */
@PostgresTest
class JobTablesTest {

    @Test
    void missingTargetsAreCreatedAndCompletedAfterTheLoadAndAgainWithNothingMissing(TestDatabase db) throws Exception {
        try (OtherDatabase target = new OtherDatabase(db); Connection src = db.connect(); Connection tgt = target.connect();
             EtlPool sourcePool = pool(db.jdbcUrl(), db); EtlPool targetPool = pool(target.jdbcUrl(), db)) {
            ShopSchema.create(src);
            Map<String, EtlJob> jobs = new LinkedHashMap<>();
            jobs.put("shop.customers", EtlJob.builder("customers").source(sourcePool, "SELECT * FROM shop.customers")
                    .partitionColumn("id").target(targetPool, "shop.customers").build());
            jobs.put("shop.orders", EtlJob.builder("orders").source(sourcePool, "SELECT * FROM shop.orders")
                    .partitionColumn("id").target(targetPool, "orders").mode(LoadMode.UPSERT).key("id").build());

            JobTables.create(src, tgt, jobs);
            assertThat(ShopSchema.describe(tgt, "public")).as("the upsert's key is there for the load, nothing else")
                    .filteredOn(line -> line.startsWith("constraint") || line.startsWith("index"))
                    .containsExactly("constraint orders orders_pkey PRIMARY KEY (id)",
                            "index CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id)");
            for (EtlJob job : jobs.values()) {
                job.run();
            }
            assertThat(JobTables.complete(src, tgt, jobs)).isEqualTo("1 primary key, 1 unique constraint, 3 indexes, "
                    + "2 foreign keys, 2 sequences set");
            assertThat(ShopSchema.describe(tgt, "public")).contains("constraint orders orders_customer_id_fkey FOREIGN KEY "
                    + "(customer_id) REFERENCES shop.customers(id) ON DELETE CASCADE");
            assertThat(JobTables.complete(src, tgt, jobs)).isEqualTo("2 sequences set");
            assertThat(ShopSchema.nextValues(tgt, "public")).containsExactly("orders_id_seq 201");

            JobTables.create(src, tgt, jobs); // a resumed run: both exist now and fit
        }
    }

    @Test
    void anUpsertKeyThatIsNoKeyOfTheSourceTableIsRefused(TestDatabase db) throws Exception {
        try (OtherDatabase target = new OtherDatabase(db); Connection src = db.connect(); Connection tgt = target.connect();
             EtlPool sourcePool = pool(db.jdbcUrl(), db); EtlPool targetPool = pool(target.jdbcUrl(), db)) {
            ShopSchema.create(src);
            EtlJob job = EtlJob.builder("customers").source(sourcePool, "SELECT * FROM shop.customers")
                    .partitionColumn("id").target(targetPool, "shop.customers").mode(LoadMode.UPSERT).key("name").build();
            assertThatThrownBy(() -> JobTables.create(src, tgt, Map.of("shop.customers", job)))
                    .isInstanceOf(EtlException.class)
                    .hasMessageStartingWith("job 'customers': upsert key [name] is neither the primary key nor a unique "
                            + "constraint of source table shop.customers");
        }
    }

    @Test
    void constraintColumnsAreReadAsTheServerQuotesThem() {
        assertThat(JobTables.columns("PRIMARY KEY (order_id, line)")).containsExactly("order_id", "line");
        assertThat(JobTables.columns("UNIQUE NULLS NOT DISTINCT (\"Order, \"\"Id\"\"\", b)"))
                .containsExactly("Order, \"Id\"", "b");
    }

    private static EtlPool pool(String url, TestDatabase db) throws SQLException {
        return EtlPool.builder().jdbcUrl(url).username(db.user()).password(db.password()).maxSize(3)
                .connectionTimeout(Duration.ofSeconds(20)).closeGracePeriod(Duration.ofSeconds(2)).build();
    }
}
