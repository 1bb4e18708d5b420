package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Names that need quoting, everywhere a job names something: a schema-qualified target with a space,
 * source columns with spaces and capitals, a mixed-case partition column and upsert key, a reject table
 * and a checkpoint schema that need quotes; by COPY and by batch, with the table made by the job or not.
 */
@PostgresTest
class QuotedNamesTest {

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of(LoadMode.INSERT, LoadMethod.COPY, true),
                Arguments.of(LoadMode.INSERT, LoadMethod.BATCH, true),
                Arguments.of(LoadMode.UPSERT, LoadMethod.COPY, false),
                Arguments.of(LoadMode.UPSERT, LoadMethod.BATCH, true),
                Arguments.of(LoadMode.TRUNCATE_INSERT, LoadMethod.COPY, false),
                Arguments.of(LoadMode.TRUNCATE_INSERT, LoadMethod.BATCH, false));
    }

    private static void source(Statement s) throws Exception {
        s.execute("CREATE SCHEMA sales");
        s.execute("CREATE SCHEMA \"ETL State\"");
        s.execute("CREATE TABLE \"Sales Src\" (\"OrderId\" int PRIMARY KEY, \"Product Name\" text, \"Qty\" int, "
                + "\"say \"\"hi\"\"\" text)");
        s.execute("INSERT INTO \"Sales Src\" SELECT g, 'product ' || g, g % 7, 'x' FROM generate_series(1, 3000) g");
    }

    @ParameterizedTest(name = "{0} by {1}, createTable {2}")
    @MethodSource("cases")
    void aJobWithNamesThatNeedQuotesMovesEveryRow(LoadMode mode, LoadMethod method, boolean createTable, TestDatabase db)
            throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 3); Connection c = db.connect(); Statement s = c.createStatement()) {
            source(s);
            if (!createTable) {
                s.execute("CREATE TABLE sales.\"Order Items\" (\"OrderId\" int PRIMARY KEY, \"Product Name\" text, "
                        + "\"Qty\" int, \"say \"\"hi\"\"\" text)");
            }
            EtlJob.Builder b = EtlJob.builder("quoted-" + mode + "-" + method).source(pool, "SELECT * FROM \"Sales Src\"")
                    .partitionColumn("\"OrderId\"").partitions(3).chunkSize(500)
                    .target(pool, "sales.\"Order Items\"").createTable(createTable).mode(mode).method(method)
                    .rejectTable("sales.\"Bad Rows\"").checkpointSchema("\"ETL State\"");
            if (mode == LoadMode.UPSERT) {
                b.key("\"OrderId\"");
            }
            JobResult result = b.build().run();

            assertThat(result.rowsWritten()).isEqualTo(3000);
            assertThat(RowDiff.between(c, "\"Sales Src\"", "sales.\"Order Items\"")).isEmpty();
            try (ResultSet rs = s.executeQuery("SELECT count(*), bool_and(done) FROM \"ETL State\".etlpool_checkpoint")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(3);
                assertThat(rs.getBoolean(2)).isTrue();
            }
            assertThat(EtlFixtures.count(c, "sales.\"Bad Rows\"")).isZero();
        }
    }

    @Test
    void statusResetTheLeaseAndTheRestartCheckWorkWithQuotedNamesAndACheckpointSchema(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); EtlPool admin = EtlFixtures.pool(db, 2); Connection c = db.connect();
             Statement s = c.createStatement()) {
            source(s);
            AtomicInteger seen = new AtomicInteger();
            AtomicReference<String> holderDuringRun = new AtomicReference<>();
            EtlJob.Builder b = EtlJob.builder("quoted-admin").source(pool, "SELECT * FROM \"Sales Src\"")
                    .partitionColumn("\"OrderId\"").partitions(3).chunkSize(500).parallelism(1)
                    .target(pool, "sales.\"Order Items\"").createTable(true).checkpointSchema("\"ETL State\"");
            // the same job with its names spelled otherwise (canonical names): its checkpoints, in "ETL State"
            EtlJob respelled = EtlJob.builder("quoted-admin").source(admin, "SELECT * FROM \"Sales Src\"")
                    .partitionColumn("\"OrderId\"").partitions(3).target(admin, "SALES.\"Order Items\"")
                    .checkpointSchema("\"ETL State\"").build();
            EtlJob stopping = b.transform(r -> {
                if (seen.incrementAndGet() == 1) {
                    try {
                        holderDuringRun.set(respelled.status().leaseHolder()); // the lease, as another session sees it
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
                if (seen.get() == 1_700) {
                    throw new IllegalStateException("stop");
                }
                return List.of(r);
            }).build();
            assertThatThrownBy(stopping::run).hasMessageContaining("stop");
            assertThat(holderDuringRun.get()).startsWith("held by host");
            long committed = EtlFixtures.count(c, "sales.\"Order Items\"");
            assertThat(committed).isBetween(500L, 1_500L);

            JobStatus status = respelled.status();
            assertThat(status.matches()).as(status.changes().toString()).isTrue();
            assertThat(status.partitions()).hasSize(3);
            assertThat(status.finished()).isFalse();
            assertThat(status.leaseHolder()).isNull();
            assertThat(EtlFixtures.count(c, "\"ETL State\".etlpool_lease")).isZero();
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('public.etlpool_lease') IS NULL "
                    + "AND to_regclass('public.etlpool_checkpoint') IS NULL")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("nothing of etlpool's in public").isTrue();
            }

            assertThat(respelled.run().rowsWritten()).isEqualTo(3000 - committed);
            assertThat(RowDiff.between(c, "\"Sales Src\"", "sales.\"Order Items\"")).isEmpty();
            assertThatThrownBy(respelled::runFromScratch).hasMessageContaining("would load every row again");
            assertThat(respelled.reset()).isEqualTo(3);
            assertThat(respelled.status().partitions()).isEmpty();
            assertThat(EtlFixtures.count(c, "\"ETL State\".etlpool_checkpoint")).isZero();
            assertThat(EtlFixtures.count(c, "sales.\"Order Items\"")).isEqualTo(3000);
        }
    }

    @Test
    void anUpsertWithAQuotedKeyCountsTheRowsMergedByDuplicateKeys(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 3); Connection c = db.connect(); Statement s = c.createStatement()) {
            source(s);
            s.execute("CREATE TABLE sales.\"Order Items\" (LIKE \"Sales Src\" INCLUDING ALL)");
            for (LoadMethod method : LoadMethod.values()) {
                JobResult r = EtlJob.builder("quoted-merge-" + method).source(pool, "SELECT * FROM \"Sales Src\" "
                        + "UNION ALL SELECT * FROM \"Sales Src\" WHERE \"OrderId\" <= 10").partitionColumn("\"OrderId\"")
                        .chunkSize(1_000).target(pool, "sales.\"Order Items\"").mode(LoadMode.UPSERT)
                        .key("\"OrderId\"").method(method).build().run();
                assertThat(r.rowsMerged()).as(method.name()).isEqualTo(10);
                assertThat(r.rowsWritten()).as(method.name()).isEqualTo(3000);
                s.execute("TRUNCATE sales.\"Order Items\"");
            }
        }
    }

    @Test
    void mappedColumnsWithQuotedNames(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            source(s);
            EtlJob.builder("quoted-mapping").source(pool, "SELECT * FROM \"Sales Src\"").partitionColumn("\"OrderId\"")
                    .column("\"Order Id\"", "\"OrderId\"").column("\"Product\"", "upper(\"Product Name\")")
                    .column("twice", "\"Qty\" * 2").target(pool, "sales.\"Order Items\"").createTable(true)
                    .build().run();
            assertThat(RowDiff.columnTypes(c, "sales.\"Order Items\""))
                    .containsExactly("Order Id integer NOT NULL", "Product text", "twice integer");
            assertThat(RowDiff.between(c, "(SELECT \"OrderId\", upper(\"Product Name\"), \"Qty\" * 2 FROM \"Sales Src\")",
                    "sales.\"Order Items\"")).isEmpty();
        }
    }

    @Test
    void aNameThatIsNotSqlIsRefusedWhenTheJobIsBuilt(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 1)) {
            EtlJob.Builder b = EtlJob.builder("bad-name").source(pool, "SELECT * FROM t").partitionColumn("id");
            assertThatThrownBy(() -> b.target(pool, "Order Items").build()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("job 'bad-name': table 'Order Items' is not a valid SQL name: 'Order Items' needs double "
                            + "quotes (write \"Order Items\" for a name with spaces, capitals or other characters)");
            assertThatThrownBy(() -> b.target(pool, "a.b.c").build()).hasMessageContaining("more than schema.table");
            assertThatThrownBy(() -> b.target(pool, "\"open").build()).hasMessageContaining("a quote is not closed");
            assertThatThrownBy(() -> b.target(pool, "t").partitionColumn("x.y").build())
                    .hasMessageContaining("partitionColumn 'x.y'");
            assertThatThrownBy(() -> b.partitionColumn("id").checkpointSchema("").build())
                    .hasMessageContaining("checkpointSchema is empty");
            assertThat(List.of(b.checkpointSchema("Etl").build().checkpointSchema())).containsExactly("Etl");
        }
    }
}
