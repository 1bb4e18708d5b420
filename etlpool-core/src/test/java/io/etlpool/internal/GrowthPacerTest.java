package io.etlpool.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** When the opener holds back a connection for waiting borrowers, and when it opens it. */
class GrowthPacerTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long CONNECT = 10 * MS;

    @Test
    void aQueueThatDrainsBeforeAConnectWouldFinishIsWatched() {
        GrowthPacer pacer = new GrowthPacer(20, 0, CONNECT);
        // 20 -> 16 in 1 ms: the other 16 are served in 4 ms, a connect takes 10
        assertThat(pacer.keepWatching(16, MS)).isTrue();
        assertThat(pacer.keepWatching(8, 3 * MS)).isTrue();
    }

    @Test
    void aQueueThatDrainsSlowerThanAConnectTakesGetsTheConnection() {
        GrowthPacer pacer = new GrowthPacer(20, 0, CONNECT);
        // 20 -> 19 in 1 ms: 19 ms to drain, longer than the 10 ms connect
        assertThat(pacer.keepWatching(19, MS)).isFalse();
    }

    @Test
    void aQueueThatHoldsOrGrowsGetsTheConnectionAtOnce() {
        assertThat(new GrowthPacer(5, 0, CONNECT).keepWatching(5, MS)).isFalse();
        assertThat(new GrowthPacer(5, 0, CONNECT).keepWatching(9, MS)).isFalse();
    }

    @Test
    void watchingEndsAfterOneConnectTimeEvenWhileTheQueueShrinks() {
        GrowthPacer pacer = new GrowthPacer(1000, 0, CONNECT);
        assertThat(pacer.keepWatching(100, 9 * MS)).isTrue();
        assertThat(pacer.keepWatching(10, CONNECT)).isFalse();
    }

    @Test
    void stepsAreAMillisecondOrHalfAConnectWhenThatIsShorter() {
        assertThat(new GrowthPacer(3, 0, CONNECT).stepNanos()).isEqualTo(MS);
        assertThat(new GrowthPacer(3, 0, MS / 2).stepNanos()).isEqualTo(MS / 4);
        assertThat(new GrowthPacer(3, 0, 1).stepNanos()).isEqualTo(1);
    }
}
