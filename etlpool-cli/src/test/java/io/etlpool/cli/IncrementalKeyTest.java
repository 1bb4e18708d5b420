package io.etlpool.cli;

import io.etlpool.etl.Incremental;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code incremental:} key of a job file: its three keys, and every mistake with its line. */
class IncrementalKeyTest {

    private static final String JOB = String.join("\n",
            "name: orders",
            "source:",
            "  url: jdbc:postgresql://localhost:5432/shop",
            "  query: SELECT * FROM orders",
            "target:",
            "  url: jdbc:postgresql://localhost:5432/warehouse",
            "  table: orders",
            "  mode: upsert",
            "  key: [id]",
            "");

    private static JobFile parse(String yaml) throws Exception {
        return new JobFileParser("job.yaml", Map.of("CURSOR", "updated_at")::get).parse(new StringReader(yaml));
    }

    private static void fails(String incremental, String message) {
        assertThatThrownBy(() -> parse(JOB + incremental)).isInstanceOf(JobFileException.class).hasMessage(message);
    }

    @Test
    void readsCursorLookbackAndSoftDeleteInEitherYamlForm() throws Exception {
        Incremental expected = Incremental.cursor("updated_at").lookback(Duration.ofMinutes(5)).softDelete("deleted");
        assertThat(parse(JOB + "incremental: {cursor: updated_at, lookback: 5m, softDelete: deleted}\n").incremental)
                .isEqualTo(expected);
        assertThat(parse(JOB + "incremental:\n  cursor: ${CURSOR}\n  lookback: 5m\n  softDelete: deleted\n").incremental)
                .isEqualTo(expected);
        assertThat(parse(JOB + "incremental: {cursor: id}\n").incremental).isEqualTo(Incremental.cursor("id"));
        assertThat(parse(JOB).incremental).isNull();
    }

    @Test
    void eachMistakeIsNamedWithItsLine() {
        fails("incremental: {cursr: updated_at}\n", "job.yaml line 10: unknown key 'cursr' (did you mean 'cursor'?)");
        fails("incremental: {lookback: 5m}\n", "job.yaml line 10: missing key 'cursor'");
        fails("incremental: updated_at\n", "job.yaml line 10: 'incremental' must be a map with at least the cursor, "
                + "e.g. incremental: {cursor: updated_at}");
        fails("incremental:\n  cursor: updated_at\n  lookback: five minutes\n",
                "job.yaml line 12: 'lookback' must be a time such as 30s, 5m, 2h or 1d, not 'five minutes'");
        fails("incremental: {cursor: [a, b]}\n", "job.yaml line 10: 'cursor' must be a single value");
    }
}
