package io.etlpool.spark.internal;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Option names are checked case-insensitively, a misspelt one is named with the closest known one. */
class OptionsTest {

    @Test
    void aMisspeltOptionNamesTheClosestKnownOne() {
        assertThatThrownBy(() -> Options.of(Map.of("partitonColumn", "id")))
                .hasMessageContaining("unknown option 'partitonColumn'; did you mean 'partitionColumn'?");
        assertThatThrownBy(() -> Options.of(Map.of("colour", "red")))
                .hasMessageContaining("unknown option 'colour'").hasMessageNotContaining("did you mean");
    }
}
