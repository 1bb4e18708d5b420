package io.etlpool.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The pool's running totals; LongAdder keeps the borrow and return paths free of contention. */
final class PoolCounters {
    final LongAdder borrows = new LongAdder();
    final LongAdder waitedBorrows = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder created = new LongAdder();
    final LongAdder closed = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder broken = new LongAdder();
    final LongAdder validationFailures = new LongAdder();
    final LongAdder leaks = new LongAdder();
    final LongAdder waitNanos = new LongAdder();
    final AtomicLong maxWaitNanos = new AtomicLong();
    final LongAdder usageNanos = new LongAdder();
    final LongAdder connectNanos = new LongAdder();

    void borrowed(long waitedNanos) {
        borrows.increment();
        if (waitedNanos > 0) { // the fast path measures no wait: nothing to add
            waitNanos.add(waitedNanos);
            if (waitedNanos > maxWaitNanos.get()) {
                maxWaitNanos.accumulateAndGet(waitedNanos, Math::max);
            }
        }
    }
}
