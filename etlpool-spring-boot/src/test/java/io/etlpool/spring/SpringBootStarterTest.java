package io.etlpool.spring;

import io.etlpool.EtlPoolDataSource;
import io.etlpool.ResetMode;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import javax.sql.DataSource;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A real Spring Boot application, auto-configured, against a real PostgreSQL. */
@PostgresTest
class SpringBootStarterTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class AppWithItsOwnDataSource {
        @Bean
        DataSource ownDataSource(org.springframework.core.env.Environment env) {
            return new SimpleDriverDataSource(new org.postgresql.Driver(), env.getProperty("spring.datasource.url"),
                    env.getProperty("spring.datasource.username"), env.getProperty("spring.datasource.password"));
        }
    }

    private static ConfigurableApplicationContext start(Class<?> app, TestDatabase db, String... properties) {
        return new SpringApplicationBuilder(app).web(WebApplicationType.NONE)
                .properties("spring.datasource.url=" + db.jdbcUrl(), "spring.datasource.username=" + db.user(),
                        "spring.datasource.password=" + db.password(), "spring.main.banner-mode=off")
                .properties(properties).run();
    }

    @Test
    void etlpoolIsThePoolAndItsSettingsAreBoundFromSpringDatasourceEtlpool(TestDatabase db) {
        try (ConfigurableApplicationContext ctx = start(App.class, db, "spring.datasource.name=shop",
                "spring.datasource.etlpool.max-size=3", "spring.datasource.etlpool.min-size=1",
                "spring.datasource.etlpool.connection-timeout=7s", "spring.datasource.etlpool.register-mbean=false",
                "spring.datasource.etlpool.idle-timeout-ms=120000", "spring.datasource.etlpool.reset-on-return=none",
                "spring.datasource.etlpool.data-source-properties[ApplicationName]=shop-app")) {
            DataSource ds = ctx.getBean(DataSource.class);
            assertThat(ds).isInstanceOf(EtlPoolDataSource.class);
            EtlPoolDataSource etlpool = (EtlPoolDataSource) ds;
            assertThat(etlpool.getPoolName()).isEqualTo("shop");
            assertThat(etlpool.getMaxSize()).isEqualTo(3);
            assertThat(etlpool.getConnectionTimeout()).isEqualTo(Duration.ofSeconds(7));
            assertThat(etlpool.getIdleTimeout()).isEqualTo(Duration.ofMinutes(2));
            assertThat(etlpool.getResetOnReturn()).isEqualTo(ResetMode.NONE);
            assertThat(etlpool.getDataSourceProperties()).containsEntry("ApplicationName", "shop-app");
            JdbcTemplate jdbc = ctx.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("SELECT 40 + 2", Integer.class)).isEqualTo(42);
            assertThat(jdbc.queryForObject("SELECT current_setting('application_name')", String.class))
                    .isEqualTo("shop-app");
            // Actuator's database health, through the pool
            assertThat(ctx.containsBean("dbHealthContributor")).isTrue();

            MeterRegistry registry = ctx.getBean(MeterRegistry.class);
            // Spring Boot's own pool meters, through the DataSourcePoolMetadataProvider
            assertThat(registry.get("jdbc.connections.max").gauge().value()).isEqualTo(3);
            assertThat(registry.get("jdbc.connections.min").gauge().value()).isEqualTo(1);
            assertThat(registry.get("jdbc.connections.active").gauge().value()).isEqualTo(0);
            // etlpool's meters, through the binder
            assertThat(registry.get("etlpool.connections.max").tag("pool", "shop").gauge().value()).isEqualTo(3);
            assertThat(registry.get("etlpool.connections.acquire").tag("pool", "shop").timer().count())
                    .isGreaterThanOrEqualTo(1);
            ctx.close();
            assertThat(etlpool.isClosed()).as("closed with the context").isTrue();
        }
    }

    @Test
    void springDatasourceTypeNamingEtlpoolGivesTheStartersPool(TestDatabase db) {
        try (ConfigurableApplicationContext ctx = start(App.class, db,
                "spring.datasource.type=" + EtlPoolDataSource.class.getName(),
                "spring.datasource.etlpool.max-size=4", "spring.datasource.etlpool.register-mbean=false")) {
            EtlPoolDataSource etlpool = (EtlPoolDataSource) ctx.getBean(DataSource.class);
            assertThat(etlpool.getMaxSize()).isEqualTo(4);
            assertThat(ctx.getBean(JdbcTemplate.class).queryForObject("SELECT 1", Integer.class)).isEqualTo(1);
            assertThat(ctx.getBean(MeterRegistry.class).get("etlpool.connections.max").gauge().value()).isEqualTo(4);
        }
    }

    @Test
    void withoutTheStarterSpringBootsOwnDataSourceTypeSettingMakesAnEtlpoolPool(TestDatabase db) {
        // Spring Boot's generic path: DataSourceBuilder sets url, username, password and driverClassName
        try (ConfigurableApplicationContext ctx = start(App.class, db,
                "spring.autoconfigure.exclude=" + EtlPoolAutoConfiguration.class.getName(),
                "spring.datasource.type=" + EtlPoolDataSource.class.getName(),
                "spring.datasource.driver-class-name=org.postgresql.Driver")) {
            EtlPoolDataSource etlpool = (EtlPoolDataSource) ctx.getBean(DataSource.class);
            assertThat(etlpool.getJdbcUrl()).isEqualTo(db.jdbcUrl());
            assertThat(etlpool.getUsername()).isEqualTo(db.user());
            assertThat(ctx.getBean(JdbcTemplate.class).queryForObject("SELECT current_user", String.class))
                    .isEqualTo(db.user());
            ctx.close();
            assertThat(etlpool.isClosed()).as("closed with the context").isTrue();
        }
    }

    @Test
    void anotherSpringDatasourceTypeIsLeftToSpringBoot(TestDatabase db) {
        try (ConfigurableApplicationContext ctx = start(App.class, db,
                "spring.datasource.type=" + SimpleDriverDataSource.class.getName())) {
            assertThat(ctx.getBean(DataSource.class)).isInstanceOf(SimpleDriverDataSource.class);
            assertThat(ctx.getBeansOfType(EtlPoolDataSource.class)).isEmpty();
        }
    }

    @Test
    void anApplicationsOwnDataSourceIsKept(TestDatabase db) {
        try (ConfigurableApplicationContext ctx = start(AppWithItsOwnDataSource.class, db)) {
            assertThat(ctx.getBean(DataSource.class)).isInstanceOf(SimpleDriverDataSource.class);
            assertThat(ctx.getBeansOfType(EtlPoolDataSource.class)).isEmpty();
            assertThat(ctx.getBean(JdbcTemplate.class).queryForObject("SELECT 1", Integer.class)).isEqualTo(1);
        }
    }
}
