package io.etlpool.etl.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** The adaptive level as a pure state machine, fed synthetic throughput: no timing, no database. */
class ConcurrencyLimiterTest {

    /** The levels the limiter chooses over {@code windows} windows when throughput depends on the level so. */
    private static List<Integer> run(ConcurrencyLimiter limiter, int windows, IntToDoubleFunction rowsPerSecond) {
        List<Integer> levels = new ArrayList<>();
        for (int i = 0; i < windows; i++) {
            levels.add(limiter.sample(rowsPerSecond.applyAsDouble(limiter.limit())));
        }
        return levels;
    }

    @Test
    void itClimbsWhileThroughputRisesAndSettlesWhereAnotherStreamBuysNothing() {
        double[] byLevel = {0, 100, 190, 260, 270, 250, 240, 230, 220};
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(2, 8);
        List<Integer> levels = run(limiter, 60, level -> byLevel[level]);
        assertThat(levels.subList(0, 3)).containsExactly(3, 4, 3); // 2 -> 3 paid, 4 bought under 10%: back
        assertThat(levels).allMatch(l -> l >= 3 && l <= 4);
        long atBest = levels.subList(20, 60).stream().filter(l -> l == 3).count();
        assertThat(atBest).as("windows at the best level of the last 40").isGreaterThanOrEqualTo(30);
    }

    @Test
    void itStepsDownWhenThroughputFallsAtTheSameLevel() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(2, 8);
        double[] byLevel = {0, 100, 200, 300, 400, 410, 410, 410, 410};
        run(limiter, 10, level -> byLevel[level]);
        int settled = limiter.limit();
        assertThat(settled).isBetween(4, 5);
        // the server gets busy: every level now gives a third of what it gave
        List<Integer> after = run(limiter, 3, level -> byLevel[level] / 3);
        assertThat(after.get(0)).isEqualTo(settled - 1);
    }

    @Test
    void itNeverLeavesItsBoundsAndFollowsALowerBoundAtOnce() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(2, 5);
        List<Integer> levels = run(limiter, 30, level -> level * 1000.0); // every stream pays
        assertThat(levels).allMatch(l -> l >= 1 && l <= 5);
        assertThat(levels.get(levels.size() - 1)).isEqualTo(5);
        limiter.bound(2); // two partitions left
        assertThat(limiter.limit()).isEqualTo(2);
        assertThat(run(limiter, 10, level -> level * 1000.0)).allMatch(l -> l <= 2);

        ConcurrencyLimiter low = new ConcurrencyLimiter(2, 8);
        List<Integer> lowLevels = run(low, 40, level -> 1000.0 / level); // more streams only hurt
        assertThat(lowLevels).allMatch(l -> l >= 1 && l <= 3);
        assertThat(lowLevels.subList(2, 4)).containsExactly(1, 1); // 3 bought nothing, 1 gives more than 2
        assertThat(lowLevels.subList(10, 40).stream().filter(l -> l == 1).count()).isGreaterThanOrEqualTo(24);
    }

    @Test
    void aStartAboveTheBoundStartsAtTheBound() {
        assertThat(new ConcurrencyLimiter(2, 1).limit()).isEqualTo(1);
        assertThat(new ConcurrencyLimiter(2, 1).sample(100)).isEqualTo(1);
    }
}
