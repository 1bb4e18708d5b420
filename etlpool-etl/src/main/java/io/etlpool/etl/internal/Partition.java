package io.etlpool.etl.internal;

/**
 * One key range of a job, [lo, hi), and how far it got: the last key (or row position) committed, rows
 * done, finished or not. An unpartitioned job has one partition without bounds that counts rows.
 */
final class Partition {

    final int id;
    final KeyType keyType;
    final Object lo;
    final Object hi;
    /** The last committed key (partitioned) or null. */
    Object lastKey;
    /** Rows committed so far over all runs: the resume position of an unpartitioned job. */
    long rowsDone;
    boolean done;
    boolean resumed;
    /**
     * Chunks committed so far: the fence. A chunk commits only if the stored sequence is still the one it
     * started from, and moves it on by one.
     */
    long seq;
    /** Unpartitioned jobs: the digest of the rows committed so far, checked when a run resumes by position. */
    long prefixDigest;
    /** Block ranges: the source table's file node and the plan's snapshot ({@link BlockRanges#checkUnchanged}). */
    String sourceState;

    Partition(int id, KeyType keyType, Object lo, Object hi) {
        this.id = id;
        this.keyType = keyType;
        this.lo = lo;
        this.hi = hi;
    }

    boolean bounded() {
        return keyType != null;
    }

    String range() {
        return bounded() ? "[" + lo + ", " + hi + ")" : "all rows";
    }
}
