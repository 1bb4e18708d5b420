package io.etlpool.cli;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The job file's {@code maxRejects}: a count of rows or a percentage of the rows read. */
class MaxRejectsKeyTest {

    private static JobFile parse(String maxRejects) throws Exception {
        String yaml = String.join("\n", "name: j", "source:", "  url: jdbc:postgresql://h/db", "  query: SELECT 1 AS id",
                "  partitionColumn: id", "target:", "  url: jdbc:postgresql://h/dw", "  table: t",
                "  rejectTable: t_rejects", "  maxRejects: " + maxRejects, "");
        return new JobFileParser("job.yaml", Map.<String, String>of()::get).parse(new StringReader(yaml));
    }

    @Test
    void aCountOrAPercentage() throws Exception {
        JobFile count = parse("1000");
        assertThat(count.maxRejects).isEqualTo(1000);
        assertThat(count.maxRejectsPercent).isNegative();
        JobFile share = parse("2.5%");
        assertThat(share.maxRejectsPercent).isEqualTo(2.5);
        assertThat(share.maxRejects).isNegative();
        assertThatThrownBy(() -> parse("lots")).isInstanceOf(JobFileException.class)
                .hasMessage("job.yaml line 10: 'maxRejects' must be a number of rows (100) or a percentage of the rows "
                        + "read (5%), not 'lots'");
        assertThatThrownBy(() -> parse("150%")).hasMessageContaining("'maxRejects' must be");
    }
}
