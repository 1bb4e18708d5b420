package io.etlpool.cli;

import io.etlpool.etl.LoadMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a reset says about the rows already in the target depends on the job's mode. */
class ResetCommandTest {

    @Test
    void aModeThatEmptiesTheTableIsNotToldToUseTruncateInsert() {
        assertThat(ResetCommand.afterReset(LoadMode.TRUNCATE_INSERT, "dst")).contains("empties dst first")
                .doesNotContain("use mode truncate-insert");
        assertThat(ResetCommand.afterReset(LoadMode.FULL_REFRESH, "dst")).contains("empties dst first");
        assertThat(ResetCommand.afterReset(LoadMode.UPSERT, "dst")).contains("merges into the rows already in dst");
        assertThat(ResetCommand.afterReset(LoadMode.INSERT, "dst")).contains("stay", "use mode truncate-insert");
    }
}
