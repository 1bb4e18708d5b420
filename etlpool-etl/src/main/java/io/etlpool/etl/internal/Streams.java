package io.etlpool.etl.internal;

import io.etlpool.etl.EtlJob;

/** How many partitions a run may stream at once: what the pools' connections allow, and the adaptive bound. */
final class Streams {

    /** Adaptive parallelism starts here (or lower, when the bound is lower). */
    static final int ADAPTIVE_START = 2;

    private Streams() {
    }

    /**
     * Streams the pools can serve: each takes a source and a target connection, so one pool serves half
     * its maxSize. Read before the run reserves its own connections (lease, snapshot).
     */
    static int byConnections(EtlJob job) {
        int source = job.sourcePool().stats().maxSize();
        int target = job.targetPool().stats().maxSize();
        return Math.max(1, job.sourcePool() == job.targetPool() ? source / 2 : Math.min(source, target));
    }

    /** The adaptive level's upper bound: the partitions to run, the connections, and the parallelism if set. */
    static int adaptiveBound(EtlJob job, int partitions, int byConnections) {
        int bound = Math.min(partitions, byConnections);
        if (job.parallelismSet() > 0) {
            bound = Math.min(bound, job.parallelismSet());
        }
        return Math.max(1, bound);
    }
}
