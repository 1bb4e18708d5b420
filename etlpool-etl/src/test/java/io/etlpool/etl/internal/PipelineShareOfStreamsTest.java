package io.etlpool.etl.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PipelineRunner#shareOfStreams}: a stream's default parallelism times its share of the rows, rounded up. */
class PipelineShareOfStreamsTest {

    @Test
    void theShareIsTheDefaultTimesTheRowsShareRoundedUp() {
        assertThat(PipelineRunner.shareOfStreams(2, 1_000_000, 2_240_000)).isEqualTo(1); // 0.89 of a core
        assertThat(PipelineRunner.shareOfStreams(2, 1_200_000, 2_000_000)).isEqualTo(2); // 1.2
        assertThat(PipelineRunner.shareOfStreams(4, 1_000_000, 2_240_000)).isEqualTo(2); // 1.79
        assertThat(PipelineRunner.shareOfStreams(2, 0, 2_000_000)).as("an empty table").isEqualTo(1);
        assertThat(PipelineRunner.shareOfStreams(2, 5, 5)).as("the only stream").isEqualTo(2);
        assertThat(PipelineRunner.shareOfStreams(2, -1, 2_000_000)).as("an unknown size").isEqualTo(2);
        assertThat(PipelineRunner.shareOfStreams(3, 10, 0)).as("no known size at all").isEqualTo(3);
    }
}
