package io.etlpool.internal;

/*
 * The fields of PoolEntry that borrowers write on every borrow and return, padded to a cache line of
 * their own on both sides. Entries are allocated one after another, so without padding two threads
 * working on neighbouring entries write the same cache line (false sharing): measured as a pool that
 * runs at one core's speed on two. The JVM reorders fields within a class but lays out a superclass's
 * fields before a subclass's, hence the class chain.
 */

/** Padding in front of the hot fields. */
abstract class PoolEntryPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

/** The fields written on every borrow and return. */
abstract class PoolEntryHotFields extends PoolEntryPadBefore {
    /** IDLE, IN_USE, RESERVED or REMOVED; see {@link PoolEntry}. */
    volatile int state = PoolEntry.RESERVED;
    /** Written by the returning thread before the entry is made IDLE, read by the next borrower. */
    long lastReturnedNanos;
    /** Last return or successful validation: validation before lending and keepalive count from here. */
    long lastCheckedNanos;
    /** The pool's fatal-error epoch when this entry was last known good. */
    int epoch;
    long borrowedNanos;
    /** Bumped on each execution and fetch; plain field, read racily by the leak detector (staleness is harmless). */
    int activity;
    int activitySeen;
    long activitySeenNanos;
    /**
     * Times lent and time spent lent, written only by the thread that holds the entry: no shared
     * counter on the borrow path. {@code PoolStats} sums them over the entries (plus those removed).
     */
    long borrowCount;
    long usageNanos;
}

/** Padding behind the hot fields. */
abstract class PoolEntryPadAfter extends PoolEntryHotFields {
    long p10, p11, p12, p13, p14, p15, p16, p17;
}
