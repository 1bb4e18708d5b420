package io.etlpool.compat;

import io.etlpool.EtlPool;
import io.etlpool.EtlPoolDataSource;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Flyway, jOOQ and JDBI on etlpool (the pool and the JavaBean data source), against a real PostgreSQL:
 * each works through the plain {@link javax.sql.DataSource}, its transactions commit and roll back, and
 * every connection goes back to the pool.
 */
@PostgresTest
class ClientLibrariesTest {

    private static EtlPool pool(TestDatabase db) throws Exception {
        return EtlPool.builder().jdbcUrl(db.jdbcUrl()).username(db.user()).password(db.password()).maxSize(3)
                .connectionTimeout(Duration.ofSeconds(10)).registerMBean(false).build();
    }

    private static EtlPoolDataSource dataSource(TestDatabase db) {
        EtlPoolDataSource ds = new EtlPoolDataSource();
        ds.setUrl(db.jdbcUrl());
        ds.setUsername(db.user());
        ds.setPassword(db.password());
        ds.setMaxSize(3);
        ds.setRegisterMBean(false);
        return ds;
    }

    @Test
    void flywayMigratesThroughThePool(TestDatabase db) throws Exception {
        try (EtlPoolDataSource ds = dataSource(db)) {
            MigrateResult result = Flyway.configure().dataSource(ds).locations("classpath:compat/flyway").load().migrate();
            assertThat(result.success).isTrue();
            assertThat(result.migrationsExecuted).isEqualTo(2);
            assertThat(Flyway.configure().dataSource(ds).locations("classpath:compat/flyway").load().migrate()
                    .migrationsExecuted).as("nothing left to do").isZero();
            assertThat(Apps.query(db, "SELECT amount FROM shop_orders WHERE id = 1")).isEqualTo(new BigDecimal("19.99"));
            assertThat(Apps.query(db, "SELECT count(*) FROM flyway_schema_history WHERE success")).isEqualTo(2L);
            assertThat(ds.stats().active()).as("every connection back").isZero();
        }
    }

    @Test
    void jooqQueriesAndItsTransactionsCommitAndRollBack(TestDatabase db) throws Exception {
        try (EtlPool pool = pool(db)) {
            DSLContext dsl = DSL.using(pool, SQLDialect.POSTGRES);
            Table<Record> items = DSL.table(DSL.name("items"));
            dsl.createTable(items).column("id", org.jooq.impl.SQLDataType.BIGINT.notNull())
                    .column("label", org.jooq.impl.SQLDataType.VARCHAR(40)).execute();
            dsl.transaction(tx -> tx.dsl().insertInto(items).columns(DSL.field("id"), DSL.field("label"))
                    .values(1L, "kept").execute());
            assertThatThrownBy(() -> dsl.transaction(tx -> {
                tx.dsl().insertInto(items).columns(DSL.field("id"), DSL.field("label")).values(2L, "rolled back").execute();
                throw new IllegalStateException("the work fails after its insert");
            })).hasMessageContaining("the work fails");
            List<String> labels = dsl.select(DSL.field("label", String.class)).from(items).orderBy(DSL.field("id"))
                    .fetch(DSL.field("label", String.class));
            assertThat(labels).containsExactly("kept");
            assertThat(pool.stats().active()).isZero();
        }
    }

    @Test
    void jdbiHandlesAndTransactionsCommitAndRollBack(TestDatabase db) throws Exception {
        try (EtlPoolDataSource ds = dataSource(db)) {
            Jdbi jdbi = Jdbi.create(ds);
            jdbi.useHandle(h -> h.execute("CREATE TABLE notes (id int PRIMARY KEY, body text)"));
            jdbi.useTransaction(h -> h.createUpdate("INSERT INTO notes VALUES (:id, :body)").bind("id", 1)
                    .bind("body", "kept").execute());
            assertThatThrownBy(() -> jdbi.useTransaction(h -> {
                h.createUpdate("INSERT INTO notes VALUES (:id, :body)").bind("id", 2).bind("body", "rolled back").execute();
                throw new IllegalStateException("the work fails after its insert");
            })).hasMessageContaining("the work fails");
            List<String> bodies = jdbi.withHandle(h -> h.createQuery("SELECT body FROM notes ORDER BY id")
                    .mapTo(String.class).list());
            assertThat(bodies).containsExactly("kept");
            assertThat(ds.stats().active()).isZero();
            // a handle's connection comes back with auto-commit on, whatever the transaction left
            boolean autoCommit = jdbi.withHandle(h -> h.getConnection().getAutoCommit());
            assertThat(autoCommit).isTrue();
        }
    }
}
