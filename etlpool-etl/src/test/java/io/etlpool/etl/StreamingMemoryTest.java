package io.etlpool.etl;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static io.etlpool.etl.EtlFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;

/** A source several times larger than the job's heap streams through: memory stays flat. */
@PostgresTest
class StreamingMemoryTest {

    private static final int ROWS = 300_000;
    private static final String HEAP = "-Xmx40m";

    @Test
    void aSourceLargerThanTheHeapStreamsThrough(TestDatabase db) throws Exception {
        long sourceBytes;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE big (id bigint PRIMARY KEY, body text)");
            s.execute("INSERT INTO big SELECT g, repeat(md5(g::text), 12) FROM generate_series(1, " + ROWS + ") g");
            s.execute("CREATE TABLE big_copy (id bigint PRIMARY KEY, body text)");
            try (ResultSet rs = s.executeQuery("SELECT sum(length(body) + 8) FROM big")) {
                rs.next();
                sourceBytes = rs.getLong(1);
            }
        }
        // as Java strings (2 bytes a char) the rows need far more than the child's 40 MB heap
        assertThat(sourceBytes * 2).isGreaterThan(4L * 40 * 1024 * 1024);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, HEAP, "-cp", System.getProperty("java.class.path"),
                StreamingJobMain.class.getName(), db.jdbcUrl(), db.user(), "big", "big_copy").redirectErrorStream(true);
        pb.environment().put("ETL_TEST_PASSWORD", db.password());
        Process child = pb.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("child output:%n%s", output).isZero();
        assertThat(output).contains("rowsWritten=" + ROWS);
        try (Connection c = db.connect()) {
            assertThat(count(c, "big_copy")).isEqualTo(ROWS);
        }
    }
}
