package io.etlpool.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class WaitHistogramTest {

    @Test
    void percentilesAreBucketUpperBounds() {
        WaitHistogram h = new WaitHistogram();
        assertThat(h.percentile(0.5)).isZero();
        for (int i = 0; i < 98; i++) {
            h.connectionBorrowed(Duration.ofNanos(500)); // under 1 µs: the first bucket
        }
        h.connectionBorrowed(Duration.ofMillis(3));
        h.connectionBorrowed(Duration.ofMillis(40));
        assertThat(h.percentile(0.50)).isEqualTo(Duration.ofNanos(2_000));
        assertThat(h.percentile(0.99)).isBetween(Duration.ofMillis(3), Duration.ofMillis(6));
        assertThat(h.percentile(1.0)).isBetween(Duration.ofMillis(40), Duration.ofMillis(80));
        assertThat(WaitHistogram.format(Duration.ofMillis(4))).isEqualTo("<4 ms");
    }
}
