package io.etlpool.spark;

import io.etlpool.CredentialsProvider;
import io.etlpool.EtlPool;
import io.etlpool.EtlPoolBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One pool per {@link PoolSpec} in this JVM (a Spark executor, or the driver), shared by every task running
 * there: built on the first {@link #borrow}, counted by lease, closed once the last lease is given back and
 * the spec's idle time has passed without a new one, when the executor stops if {@link EtlPoolSparkPlugin}
 * is enabled ({@link #closeAll}), and at JVM shutdown. Spark's own guide tells users to
 * write such "static, lazily initialised pool" inside {@code foreachPartition} themselves; this is it:
 *
 * <pre>{@code
 * df.foreachPartition(rows -> {
 *     try (ExecutorPools.Lease lease = ExecutorPools.shared().borrow(spec);
 *          Connection c = lease.pool().getConnection()) {
 *         ...
 *     }
 * });
 * }</pre>
 */
public final class ExecutorPools {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorPools.class);
    private static final ExecutorPools SHARED = new ExecutorPools();
    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<PoolSpec, Entry> pools = new HashMap<>();
    private final AtomicBoolean hookAdded = new AtomicBoolean();
    private ScheduledExecutorService closer;

    private ExecutorPools() {
    }

    /** The pools of this JVM. */
    public static ExecutorPools shared() {
        return SHARED;
    }

    /**
     * A lease on the pool of this spec, building the pool if this JVM has none yet (which waits for its
     * first connection). Close the lease when the task is done with the pool.
     */
    public Lease borrow(PoolSpec spec) throws SQLException {
        if (hookAdded.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::closeAll, "etlpool-spark-shutdown"));
        }
        lock.lock();
        try {
            Entry e = pools.get(spec);
            if (e == null) {
                e = new Entry(spec, build(spec));
                pools.put(spec, e);
                LOG.debug("opened the executor pool {} for {}", e.pool.name(), spec);
            }
            e.cancelPendingClose();
            e.leases++;
            return new Lease(e);
        } finally {
            lock.unlock();
        }
    }

    /** How many pools this JVM has open. */
    public int openPools() {
        lock.lock();
        try {
            return pools.size();
        } finally {
            lock.unlock();
        }
    }

    /** Closes every pool that no task holds a lease on now, without waiting for its idle time. */
    public void closeIdle() {
        lock.lock();
        try {
            for (Entry e : new ArrayList<>(pools.values())) {
                if (e.leases == 0) {
                    pools.remove(e.spec);
                    e.close();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes every pool of this JVM now, also those tasks still hold leases on, as when the executor (or,
     * in local mode, the SparkContext) stops: {@link EtlPoolSparkPlugin} calls it, and so does the JVM's
     * shutdown hook. A pool that is still leased gets its close grace period for the connections lent
     * out, then they are closed under their borrowers. The pools leave this JVM's table first, so the
     * leases still held give nothing back to them (their close does nothing more), and the next
     * {@link #borrow} builds a fresh pool instead of using a closed one.
     *
     * @return how many pools were closed
     */
    public int closeAll() {
        lock.lock();
        try {
            int n = pools.size();
            for (Entry e : new ArrayList<>(pools.values())) {
                e.cancelPendingClose();
                pools.remove(e.spec);
                if (e.leases > 0) {
                    LOG.info("closing the executor pool {} that {} task(s) still lease", e.pool.name(), e.leases);
                }
                e.close();
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    // Pools are closed under the lock, so that a pool of the same spec built next never has connections
    // open beside the closing one's: the budget holds also while pools come and go.
    private void release(Entry e) {
        lock.lock();
        try {
            e.leases--;
            if (e.leases == 0 && pools.get(e.spec) == e) {
                if (e.spec.idleCloseMs() == 0) {
                    pools.remove(e.spec);
                    e.close();
                } else {
                    e.pendingClose = closer().schedule(() -> closeIfIdle(e), e.spec.idleCloseMs(), TimeUnit.MILLISECONDS);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void closeIfIdle(Entry e) {
        lock.lock();
        try {
            if (e.leases == 0 && pools.get(e.spec) == e) {
                pools.remove(e.spec);
                e.close();
            }
        } finally {
            lock.unlock();
        }
    }

    private ScheduledExecutorService closer() {
        if (closer == null) {
            closer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "etlpool-spark-idle-closer");
                t.setDaemon(true);
                return t;
            });
        }
        return closer;
    }

    private static EtlPool build(PoolSpec spec) throws SQLException {
        EtlPoolBuilder b = EtlPool.builder()
                .name("etlpool-spark-" + POOL_NUMBER.incrementAndGet())
                .jdbcUrl(spec.jdbcUrl())
                .minSize(0)
                .maxSize(spec.maxSize())
                .connectionTimeout(Duration.ofMillis(spec.connectionTimeoutMs()))
                .idleTimeout(Duration.ofSeconds(60));
        if (spec.credentialsProvider() != null) {
            b.credentialsProvider(provider(spec.credentialsProvider()));
        } else {
            b.username(spec.user()).password(spec.password());
        }
        return b.build();
    }

    private static CredentialsProvider provider(String className) {
        try {
            Class<?> c = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
            return (CredentialsProvider) c.getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException("credentialsProvider " + className + " could not be created: it must"
                    + " implement io.etlpool.CredentialsProvider, have a public no-argument constructor and be on the"
                    + " executors' class path (" + e + ")", e);
        }
    }

    /** One pool and the leases on it. */
    private static final class Entry {
        final PoolSpec spec;
        final EtlPool pool;
        int leases;
        ScheduledFuture<?> pendingClose;

        Entry(PoolSpec spec, EtlPool pool) {
            this.spec = spec;
            this.pool = pool;
        }

        /** Drops the idle close scheduled for this pool, if any (under the table's lock). */
        void cancelPendingClose() {
            if (pendingClose != null) {
                pendingClose.cancel(false);
                pendingClose = null;
            }
        }

        void close() {
            try {
                pool.close();
            } catch (RuntimeException ex) {
                LOG.warn("closing the executor pool {} failed", pool.name(), ex);
            }
        }
    }

    /** A task's use of a pool; closing it (once) gives the lease back. */
    public final class Lease implements AutoCloseable {
        private final Entry entry;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Lease(Entry entry) {
            this.entry = entry;
        }

        /** The shared pool. */
        public EtlPool pool() {
            return entry.pool;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                release(entry);
            }
        }
    }
}
