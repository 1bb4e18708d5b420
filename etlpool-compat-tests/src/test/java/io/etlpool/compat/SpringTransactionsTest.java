package io.etlpool.compat;

import io.etlpool.EtlPoolDataSource;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Spring's JdbcTemplate and {@code @Transactional} on etlpool's auto-configured data source. */
@PostgresTest
class SpringTransactionsTest {

    /** A service whose transactional method fails after writing. */
    public static class Accounts {
        private final JdbcTemplate jdbc;

        public Accounts(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Transactional
        public void open(int id, int balance) {
            jdbc.update("INSERT INTO accounts VALUES (?, ?)", id, balance);
        }

        @Transactional
        public void openThenFail(int id, int balance) {
            jdbc.update("INSERT INTO accounts VALUES (?, ?)", id, balance);
            throw new IllegalStateException("the service fails after its insert");
        }

        @Transactional(readOnly = true)
        public boolean readOnlyInside() {
            return jdbc.queryForObject("SELECT current_setting('transaction_read_only')", String.class).equals("on");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Accounts accounts(JdbcTemplate jdbc) {
            return new Accounts(jdbc);
        }
    }

    @Test
    void transactionalCommitsAndRollsBackOnAnException(TestDatabase db) throws Exception {
        Apps.execute(db, "CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL)");
        try (ConfigurableApplicationContext ctx = Apps.start(App.class, db, WebApplicationType.NONE)) {
            assertThat(ctx.getBean(DataSource.class)).isInstanceOf(EtlPoolDataSource.class);
            Accounts accounts = ctx.getBean(Accounts.class);
            JdbcTemplate jdbc = ctx.getBean(JdbcTemplate.class);

            accounts.open(1, 100);
            assertThatThrownBy(() -> accounts.openThenFail(2, 200)).hasMessageContaining("fails after its insert");
            assertThat(jdbc.queryForList("SELECT id FROM accounts ORDER BY id", Integer.class)).containsExactly(1);
            assertThat(Apps.query(db, "SELECT count(*) FROM accounts")).as("seen from outside").isEqualTo(1L);

            assertThat(accounts.readOnlyInside()).as("read-only inside the transaction").isTrue();
            // the connection came back clean: auto-commit on, not read-only
            assertThat(jdbc.queryForObject("SELECT current_setting('transaction_read_only')", String.class)).isEqualTo("off");
            EtlPoolDataSource etlpool = ctx.getBean(EtlPoolDataSource.class);
            assertThat(etlpool.stats().active()).isZero();
        }
    }
}
