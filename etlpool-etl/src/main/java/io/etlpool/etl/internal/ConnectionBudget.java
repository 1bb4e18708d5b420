package io.etlpool.etl.internal;

import io.etlpool.EtlPool;
import io.etlpool.etl.EtlJob;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The connections a pipeline may still take in each pool, and what one job's run takes: in the target the
 * lease (held all run) and one connection per partition running; in the source the snapshot (held all run
 * when there is more than one partition) and one per partition running. The short set-up step (checkpoints,
 * plan) runs on one source and target pair while those are held, so it needs no more than one partition.
 * A running stream may give back part of its demand early (partition pairs it no longer uses), and the rest
 * when it ends: the parts sum to what it took.
 */
public final class ConnectionBudget {

    private final Map<EtlPool, Integer> free = new IdentityHashMap<>();

    ConnectionBudget(Map<EtlPool, Integer> capacity) {
        free.putAll(capacity);
    }

    /** What a run of the job with this parallelism holds at most, per pool (the CLI opens it ahead). */
    public static Map<EtlPool, Integer> demand(EtlJob job, int parallelism) {
        Map<EtlPool, Integer> d = new IdentityHashMap<>();
        d.merge(job.targetPool(), 1 + parallelism, Integer::sum);
        d.merge(job.sourcePool(), (job.partitions() > 1 ? 1 : 0) + parallelism, Integer::sum);
        return d;
    }

    /** Whether the demand fits what is free now. */
    synchronized boolean fits(Map<EtlPool, Integer> demand) {
        for (Map.Entry<EtlPool, Integer> e : demand.entrySet()) {
            if (free.getOrDefault(e.getKey(), 0) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    synchronized void take(Map<EtlPool, Integer> demand) {
        demand.forEach((pool, n) -> free.merge(pool, -n, Integer::sum));
    }

    synchronized void giveBack(Map<EtlPool, Integer> demand) {
        demand.forEach((pool, n) -> free.merge(pool, n, Integer::sum));
    }
}
