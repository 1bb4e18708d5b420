package io.etlpool.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The pool's running totals. Borrows and usage time are counted per entry (see PoolEntryHotFields) and
 * land here when an entry is removed; the rest happens off the fast path.
 */
final class PoolCounters {
    final LongAdder retiredBorrows = new LongAdder();
    final LongAdder retiredUsageNanos = new LongAdder();
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
    final LongAdder connectNanos = new LongAdder();
    /** Lost COMMITs by what the server said afterwards (counted by CommitResolver). */
    final LongAdder commitsCommitted = new LongAdder();
    final LongAdder commitsRolledBack = new LongAdder();
    final LongAdder commitsUnresolved = new LongAdder();

    /** A borrower waited (the fast path never gets here). */
    void waited(long waitedNanos) {
        waitedBorrows.increment();
        waitNanos.add(waitedNanos);
        if (waitedNanos > maxWaitNanos.get()) {
            maxWaitNanos.accumulateAndGet(waitedNanos, Math::max);
        }
    }

    /** An entry leaves the pool: keep its totals. */
    void retire(PoolEntry e) {
        retiredBorrows.add(e.borrowCount);
        retiredUsageNanos.add(e.usageNanos);
    }
}
