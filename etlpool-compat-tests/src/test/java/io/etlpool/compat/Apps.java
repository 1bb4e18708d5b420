package io.etlpool.compat;

import io.etlpool.testing.TestDatabase;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Starting a real Spring Boot application on the test's database, and reading the database directly. */
final class Apps {

    private Apps() {
    }

    /**
     * An application context on the test database with etlpool's starter; Flyway, Liquibase and Spring
     * Batch's start-up job are off unless the properties turn them on.
     */
    static ConfigurableApplicationContext start(Class<?> app, TestDatabase db, WebApplicationType web, String... properties) {
        return new SpringApplicationBuilder(app).web(web)
                .properties("spring.datasource.url=" + db.jdbcUrl(), "spring.datasource.username=" + db.user(),
                        "spring.datasource.password=" + db.password(), "spring.main.banner-mode=off",
                        "spring.datasource.etlpool.register-mbean=false", "spring.flyway.enabled=false",
                        "spring.liquibase.enabled=false", "spring.batch.job.enabled=false")
                .properties(properties).run();
    }

    /** The first column of the first row of a query on a direct connection. */
    static Object query(TestDatabase db, String sql) throws SQLException {
        Connection c = db.connect();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getObject(1) : null;
        }
    }

    static void execute(TestDatabase db, String sql) throws SQLException {
        try (Statement s = db.connect().createStatement()) {
            s.execute(sql);
        }
    }
}
