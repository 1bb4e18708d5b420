package io.etlpool.cli;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JVM settings the {@code etlpool} launcher starts the CLI with (etlpool-cli/jvm.options) are enough
 * for a streaming job: a 1M-row job with four partitions on four streams completes in that heap.
 */
@PostgresTest
class DefaultJvmOptionsTest {

    @Test
    void aMillionRowJobRunsInTheLaunchersDefaultHeap(TestDatabase db, @TempDir Path dir) throws Exception {
        List<String> options = Arrays.asList(Files.readString(Path.of("jvm.options")).trim().split("\\s+"));
        assertThat(options).anyMatch(o -> o.startsWith("-Xmx"));
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id bigint PRIMARY KEY, customer int, amount numeric(12,2), note text, "
                    + "created timestamptz)");
            s.execute("INSERT INTO src SELECT g, g % 5000, (g * 1.25)::numeric(12,2), 'order note ' || g, "
                    + "timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second' FROM generate_series(1, 1000000) g");
        }
        Files.writeString(dir.resolve("job.yaml"), String.join("\n",
                "name: big-job",
                "source:",
                "  url: " + db.jdbcUrl(),
                "  user: " + db.user(),
                "  password: ${PW}",
                "  query: SELECT * FROM src",
                "  partitionColumn: id",
                "  partitions: 4",
                "target:",
                "  url: " + db.jdbcUrl(),
                "  user: " + db.user(),
                "  password: ${PW}",
                "  table: dst",
                "  createTable: true",
                "parallelism: 4",
                ""));
        CliProcess run = CliProcess.start(options, dir, Map.of("PW", db.password()), "run", "job.yaml", "--quiet").await();
        assertThat(run.exitCode).as(run.toString()).isZero();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), sum(amount) FROM dst")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1_000_000);
            assertThat(rs.getBigDecimal(2)).isEqualByComparingTo("625000625000.00");
        }
    }
}
