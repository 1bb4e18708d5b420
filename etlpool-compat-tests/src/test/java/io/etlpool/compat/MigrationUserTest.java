package io.etlpool.compat;

import io.etlpool.EtlPoolDataSource;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flyway and Liquibase with a user of their own ({@code spring.flyway.user}, {@code spring.liquibase.user}):
 * Spring Boot then derives their data source from etlpool's ({@code DataSourceBuilder.derivedFrom}, which
 * reads its URL, user, password and driver through the JavaBean getters). The migration runs as that
 * user (it owns the tables); the application's pool stays on its own user.
 */
@PostgresTest
class MigrationUserTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    private String migrator;

    @BeforeEach
    void createTheMigrationUser(TestDatabase db) throws SQLException {
        migrator = "migrator_" + db.name().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        Apps.execute(db, "CREATE ROLE " + migrator + " LOGIN PASSWORD 'migrate-secret'");
        Apps.execute(db, "GRANT CREATE, USAGE ON SCHEMA public TO " + migrator);
    }

    @AfterEach
    void dropIt(TestDatabase db) throws SQLException {
        Apps.execute(db, "DROP OWNED BY " + migrator + "; DROP ROLE " + migrator);
    }

    @Test
    void flywayMigratesAsItsOwnUserAndTheAppKeepsItsUser(TestDatabase db) throws Exception {
        try (ConfigurableApplicationContext ctx = Apps.start(App.class, db, WebApplicationType.NONE,
                "spring.flyway.enabled=true", "spring.flyway.locations=classpath:compat/flyway",
                "spring.flyway.user=" + migrator, "spring.flyway.password=migrate-secret")) {
            assertThat(Apps.query(db, "SELECT tableowner FROM pg_tables WHERE tablename = 'shop_orders'")).isEqualTo(migrator);
            assertThat(Apps.query(db, "SELECT tableowner FROM pg_tables WHERE tablename = 'flyway_schema_history'"))
                    .isEqualTo(migrator);
            assertThat(Apps.query(db, "SELECT installed_by FROM flyway_schema_history WHERE version = '2'")).isEqualTo(migrator);
            assertTheAppRunsAsItsOwnUser(ctx, db);
            assertThat(ctx.getBean(JdbcTemplate.class).queryForObject("SELECT count(*) FROM shop_orders", Long.class))
                    .isEqualTo(1L);
        }
    }

    @Test
    void liquibaseMigratesAsItsOwnUserAndTheAppKeepsItsUser(TestDatabase db) throws Exception {
        try (ConfigurableApplicationContext ctx = Apps.start(App.class, db, WebApplicationType.NONE,
                "spring.liquibase.enabled=true", "spring.liquibase.change-log=classpath:compat/liquibase/changelog.sql",
                "spring.liquibase.user=" + migrator, "spring.liquibase.password=migrate-secret")) {
            assertThat(Apps.query(db, "SELECT tableowner FROM pg_tables WHERE tablename = 'shop_customers'"))
                    .isEqualTo(migrator);
            assertThat(Apps.query(db, "SELECT tableowner FROM pg_tables WHERE tablename = 'databasechangelog'"))
                    .isEqualTo(migrator);
            assertThat(Apps.query(db, "SELECT count(*) FROM databasechangelog")).isEqualTo(2L);
            assertTheAppRunsAsItsOwnUser(ctx, db);
            assertThat(ctx.getBean(JdbcTemplate.class).queryForObject("SELECT name FROM shop_customers", String.class))
                    .isEqualTo("Ada");
        }
    }

    private void assertTheAppRunsAsItsOwnUser(ConfigurableApplicationContext ctx, TestDatabase db) throws SQLException {
        DataSource ds = ctx.getBean(DataSource.class);
        assertThat(ds).isInstanceOf(EtlPoolDataSource.class);
        EtlPoolDataSource etlpool = (EtlPoolDataSource) ds;
        assertThat(etlpool.getUsername()).isEqualTo(db.user());
        assertThat(ctx.getBean(JdbcTemplate.class).queryForObject("SELECT current_user", String.class)).isEqualTo(db.user());
        assertThat(etlpool.stats().active()).isZero();
    }
}
