package io.etlpool.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the opener holds back a connection for waiting borrowers, and when it opens it. With a 10 ms
 * connect, the pacer looks every millisecond and waits 5 ms (half a connect) before it acts on a sign.
 */
class GrowthPacerTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long CONNECT = 10 * MS;

    @Test
    void aBurstTheConnectionsThereServeSoonIsWatchedWhileItDrains() {
        GrowthPacer pacer = new GrowthPacer(1, 0, 0, CONNECT);
        assertThat(pacer.keepWatching(20, 5, MS)).isTrue();       // borrowers arriving, some served
        assertThat(pacer.keepWatching(45, 10, 3 * MS)).isTrue();  // the peak
        assertThat(pacer.keepWatching(45, 15, 4 * MS)).isTrue();  // level for a moment while they arrive
        assertThat(pacer.keepWatching(30, 30, 8 * MS)).isTrue();  // 30 left at 3 a millisecond: 10 ms < 2 connects
        assertThat(pacer.keepWatching(10, 50, 14 * MS)).isTrue();
    }

    @Test
    void aQueueNobodyIsServedFromForHalfAConnectGetsTheConnection() {
        GrowthPacer pacer = new GrowthPacer(3, 7, 0, CONNECT);
        assertThat(pacer.keepWatching(5, 7, MS)).isTrue();        // a quiet step: maybe a stalled thread
        assertThat(pacer.keepWatching(5, 7, 4 * MS)).isTrue();
        assertThat(pacer.keepWatching(5, 7, 5 * MS)).isFalse();   // the connections are held by long tasks
    }

    @Test
    void aQueueThatStillGrowsAfterAConnectTimeGetsTheConnection() {
        GrowthPacer pacer = new GrowthPacer(1, 0, 0, CONNECT);
        assertThat(pacer.keepWatching(10, 5, 3 * MS)).isTrue();
        assertThat(pacer.keepWatching(20, 10, 6 * MS)).isTrue();
        assertThat(pacer.keepWatching(30, 15, 10 * MS)).isFalse(); // arriving faster than served
    }

    @Test
    void aQueueThatStaysAtItsPeakGetsTheConnection() {
        GrowthPacer pacer = new GrowthPacer(1, 0, 0, CONNECT);
        assertThat(pacer.keepWatching(31, 10, MS)).isTrue();
        assertThat(pacer.keepWatching(31, 20, 4 * MS)).isTrue();
        assertThat(pacer.keepWatching(31, 30, 6 * MS)).isFalse(); // served as fast as borrowers come back
    }

    @Test
    void aQueueThatWouldLastTwoConnectTimesGetsTheConnection() {
        GrowthPacer pacer = new GrowthPacer(1, 0, 0, CONNECT);
        assertThat(pacer.keepWatching(45, 3, MS)).isTrue();
        assertThat(pacer.keepWatching(40, 8, 6 * MS)).isFalse();  // 40 left at 1 a millisecond
    }

    @Test
    void watchingEndsAfterFourConnectTimesEvenWhileTheQueueDrainsFast() {
        GrowthPacer pacer = new GrowthPacer(10_000, 0, 0, CONNECT);
        assertThat(pacer.keepWatching(9_000, 1_000, MS)).isTrue();
        assertThat(pacer.keepWatching(100, 9_900, 39 * MS)).isTrue();
        assertThat(pacer.keepWatching(90, 9_910, 4 * CONNECT)).isFalse();
    }

    @Test
    void aWatchThatGoesOnFromTheLastOneJudgesTheQueueAtItsFirstLook() {
        GrowthPacer first = new GrowthPacer(1, 0, 0, CONNECT);
        assertThat(first.keepWatching(49, 0, MS)).isTrue();
        assertThat(first.keepWatching(49, 0, 5 * MS)).isFalse();  // long tasks: opened
        GrowthPacer next = first.continued(CONNECT);               // the same burst, 15 ms later
        assertThat(next.keepWatching(46, 3, 21 * MS)).isFalse();  // 46 left at 3 in 20 ms: opened at once
        GrowthPacer fresh = new GrowthPacer(46, 3, 20 * MS, CONNECT);
        assertThat(fresh.keepWatching(46, 3, 21 * MS)).isTrue();  // without the history: watched again
    }

    @Test
    void stepsAreAMillisecondOrHalfAConnectWhenThatIsShorter() {
        assertThat(new GrowthPacer(3, 0, 0, CONNECT).stepNanos()).isEqualTo(MS);
        assertThat(new GrowthPacer(3, 0, 0, MS / 2).stepNanos()).isEqualTo(MS / 4);
        assertThat(new GrowthPacer(3, 0, 0, 1).stepNanos()).isEqualTo(1);
    }
}
