package io.etlpool.cli;

import io.etlpool.embedded.EmbeddedPostgres;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code etlpool demo} and {@code etlpool check} as a user runs them, in child processes. */
@PostgresTest
class DemoAndCheckTest {

    @Test
    void theDemoRunsEndToEndOnItsOwnPostgres(@TempDir Path dir) throws Exception {
        CliProcess r = CliProcess.run(dir, Map.of(), "demo", "--rows", "20000", "--seconds", "1");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).contains("Starting an embedded PostgreSQL", "streams:", "- tables: [orders]", "incremental: {cursor: updated_at}",
                "borrow wait p50 / p99", "with the pool", "new connection each", "speed-up", "table definitions")
                .containsPattern("\\borders +loaded +20,000")
                .containsPattern("customers +loaded +2,000").containsPattern("products +loaded +1,000")
                .contains("The shop changes: 200 new orders, 100 orders updated")
                .containsPattern("\\borders +loaded +300").containsPattern("customers +already complete")
                .contains("warehouse orders: 20,200 rows, 100 of them updated");
    }

    @Test
    void checkAgainstARunningServer(TestDatabase db, @TempDir Path dir) throws Exception {
        CliProcess r = CliProcess.run(dir, Map.of("PGPASSWORD", db.password()), "check", "--url", db.jdbcUrl(),
                "--user", db.user());
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).contains("OK: connected to " + db.jdbcUrl(), "max_connections", "suggested maxSize", "why:");
        assertThat(r.out).doesNotContain(db.password());
    }

    @Test
    void checkWithAUrlWithoutJdbcIsAUsageError(@TempDir Path dir) throws Exception {
        CliProcess r = CliProcess.run(dir, Map.of("PGPASSWORD", "x"), "check", "--url",
                "postgresql://u:secret@localhost:5432/shop");
        assertThat(r.exitCode).as(r.toString()).isEqualTo(2);
        assertThat(r.err).contains("--url must be a JDBC URL, starting with jdbc:").doesNotContain("Exception", "secret");
    }

    @Test
    void checkWithAWrongPasswordSaysSo(TestDatabase db, @TempDir Path dir) throws Exception {
        CliProcess r = CliProcess.run(dir, Map.of("PGPASSWORD", "wrong-one"), "check", "--url", db.jdbcUrl(),
                "--user", db.user());
        assertThat(r.exitCode).isEqualTo(1);
        assertThat(r.err).contains("refused the login of user '" + db.user() + "'").doesNotContain("wrong-one");
    }

    @Test
    void checkAgainstAStoppedServerSaysItIsUnreachable(@TempDir Path dir) throws Exception {
        String url;
        try (EmbeddedPostgres stopped = EmbeddedPostgres.builder().start()) {
            url = stopped.jdbcUrl();
            stopped.stop();
            CliProcess r = CliProcess.run(dir, Map.of("PGPASSWORD", stopped.password()), "check", "--url", url,
                    "--user", stopped.superuser());
            assertThat(r.exitCode).isEqualTo(1);
            assertThat(r.err).contains("could not reach the database").contains("check that the server is running");
        }
    }
}
