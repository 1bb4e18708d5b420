package io.etlpool.etl.internal;

import io.etlpool.EtlPool;
import io.etlpool.PoolStats;
import io.etlpool.etl.EtlJob;

/**
 * Room in a pool for a connection a run holds for its whole duration (the lease, the source snapshot):
 * the pool's maxSize grows by one while the run lasts, so that these connections never take the place of
 * a partition's, and a pool sized for the partitions (even a shared pool of 2) still runs the job.
 * {@link #close()} gives the room back; the read-modify-write is done under the pool's monitor so that
 * runs sharing a pool do not lose each other's change.
 *
 * <p>A job built with {@code growPoolForRun(false)} (every stream of a {@code Pipeline}) takes no room: its
 * pool's maxSize is a hard connection budget, and whoever runs the job has left room in it for the held
 * connections (the pipeline counts them when it schedules its streams).
 */
final class PoolReserve implements AutoCloseable {

    private final EtlPool pool;
    private boolean held;

    private PoolReserve(EtlPool pool) {
        this.pool = pool;
    }

    static PoolReserve take(EtlJob job, EtlPool pool) {
        PoolReserve r = new PoolReserve(pool);
        if (!job.growPoolForRun()) {
            return r; // the budget is the pool's maxSize: never raised behind the owner's back
        }
        synchronized (pool) {
            PoolStats s = pool.stats();
            pool.resize(s.minSize(), s.maxSize() + 1);
        }
        r.held = true;
        return r;
    }

    @Override
    public void close() {
        if (!held) {
            return;
        }
        held = false;
        synchronized (pool) {
            if (pool.isClosed()) {
                return;
            }
            PoolStats s = pool.stats();
            int max = Math.max(1, s.maxSize() - 1);
            pool.resize(Math.min(s.minSize(), max), max);
        }
    }
}
