package io.etlpool.etl.internal;

import io.etlpool.PoolStats;
import io.etlpool.etl.EtlException;
import io.etlpool.etl.JobDefinitionException;
import io.etlpool.etl.EtlJob;
import io.etlpool.etl.JobFailedException;
import io.etlpool.etl.JobResult;
import io.etlpool.etl.LoadMode;
import io.etlpool.etl.PartitionResult;
import io.etlpool.etl.ProgressEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one job: takes its lease, exports the source snapshot, prepares its plan and checkpoints (checking
 * the stored plan is this job's), runs its partitions in parallel and returns only when every partition
 * task has ended, whatever happened.
 */
public final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    /** The job; for an incremental run, once begun, its query cut to the increment. */
    private EtlJob job;
    private final boolean fromScratch;
    private final IncrementalRun incremental;
    private final JobIdentity identity;
    private final AtomicLong rowsRead = new AtomicLong();
    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong rowsRejected = new AtomicLong();
    private final AtomicLong rowsMerged = new AtomicLong();
    private final AtomicInteger partitionsDone = new AtomicInteger();
    private final Map<Integer, PartitionTask> running = new ConcurrentHashMap<>();
    private final RejectLimit rejectLimit;
    private volatile String stopped;
    private volatile RunLease lease;
    private volatile SourceSnapshot snapshot = SourceSnapshot.none("no snapshot yet");
    private int partitionCount;
    private final java.util.Set<String> paths = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private int doneBefore;
    private long startNanos;
    private final List<PartitionResult> results = new ArrayList<>();
    /** How many partitions stream at once (fixed, or adapted while the run goes). */
    private volatile StreamGate gate = new StreamGate(1);

    public JobRunner(EtlJob job, boolean fromScratch) {
        this(job, fromScratch, null);
    }

    /** {@code withQuery}: the job reading another query, for the increments of an incremental job. */
    public JobRunner(EtlJob job, boolean fromScratch, java.util.function.Function<String, EtlJob> withQuery) {
        if (job.incremental() != null && withQuery == null) {
            throw new IllegalArgumentException("an incremental job runs with EtlJob.run()");
        }
        this.job = job;
        this.fromScratch = fromScratch;
        this.incremental = job.incremental() == null ? null : new IncrementalRun(job, withQuery, fromScratch);
        this.identity = JobIdentity.of(job);
        this.rejectLimit = new RejectLimit(job.maxRejects(), job.maxRejectsPercent(), job.chunkSize());
    }

    public JobResult run() throws SQLException {
        startNanos = System.nanoTime();
        int connectionBound = Streams.byConnections(job);
        // block ranges resume at a ctid, which is a position in one snapshot: even one partition exports it
        boolean wantSnapshot = job.partitions() > 1 || BlockRanges.applies(job);
        try (PoolReserve forLease = PoolReserve.take(job, job.targetPool());
             RunLease held = RunLease.acquire(job, job.waitForLease());
             PoolReserve forSnapshot = wantSnapshot ? PoolReserve.take(job, job.sourcePool()) : null;
             SourceSnapshot snap = beginIncrement(wantSnapshot) ? SourceSnapshot.export(job.sourcePool())
                     : SourceSnapshot.none("one partition: it reads the source in one transaction")) {
            lease = held;
            snapshot = snap;
            List<Partition> plan = prepare();
            partitionCount = plan.size();
            List<Partition> todo = new ArrayList<>();
            for (Partition p : plan) {
                if (p.done) {
                    partitionsDone.incrementAndGet();
                    results.add(new PartitionResult(p.id, p.range(), 0, 0, 0, 0, true));
                } else {
                    todo.add(p);
                }
            }
            doneBefore = partitionsDone.get();
            boolean resumed = plan.stream().anyMatch(p -> p.resumed);
            if (resumed) {
                LOG.info("job {} resumes from its checkpoints: {} of {} partitions done, {} to go", job.name(),
                        doneBefore, partitionCount, todo.size());
            }
            job.listener().starting(job.name(), doneBefore, partitionCount, resumed);
            boolean alreadyComplete = todo.isEmpty() && resumed && incremental == null;
            if (alreadyComplete) {
                LOG.info("job {} had finished in an earlier run: nothing to do (run it from scratch to load again)",
                        job.name());
            }
            runAll(todo, Math.min(job.parallelism(), todo.size()), connectionBound);
            if (incremental != null) {
                incremental.finish();
            }
            return result(alreadyComplete, null);
        } catch (SQLException | RuntimeException e) {
            SQLException cause = e instanceof SQLException ? (SQLException) e : new SQLException(e);
            String message = e instanceof EtlException ? e.getMessage()
                    : "job '" + job.name() + "' failed: " + e.getMessage();
            throw new JobFailedException(message, cause, result(false, message));
        } finally {
            lease = null;
        }
    }

    private JobResult result(boolean alreadyComplete, String error) {
        List<PartitionResult> sorted;
        synchronized (results) {
            sorted = new ArrayList<>(results);
        }
        sorted.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        PoolStats target = job.targetPool().stats();
        return new JobResult(job.name(), alreadyComplete, rowsRead.get(), rowsWritten.get(), rowsRejected.get(),
                rowsMerged.get(), doneBefore, partitionCount, snapshot.description(), path(), error,
                Duration.ofNanos(System.nanoTime() - startNanos), List.copyOf(sorted), job.sourcePool().stats(), target,
                incremental == null ? null : incremental.describe());
    }

    /**
     * An incremental run records or resumes its increment here: under the lease, and before the snapshot
     * is exported, so that the increment's bound was read before the snapshot every partition reads.
     */
    private boolean beginIncrement(boolean wantSnapshot) throws SQLException {
        if (incremental != null) {
            job = incremental.begin(this);
        }
        return wantSnapshot;
    }

    private String path() {
        List<String> sorted = new ArrayList<>(paths);
        java.util.Collections.sort(sorted);
        return sorted.isEmpty() ? "none (no partition ran)" : String.join("; ", sorted);
    }

    /** Checkpoint table, reject table, target table, and the plan: the stored one, or a new one. */
    private List<Partition> prepare() throws SQLException {
        try (ConnectionPair pair = ConnectionPair.open(job)) {
            Connection target = pair.target();
            target.setAutoCommit(false);
            try {
                Checkpoints.createIfMissing(target, job);
                if (job.rejectTable() != null) {
                    new Rejects(job.rejectTable()).createIfMissing(target);
                }
                Optional<String> stored = Checkpoints.storedDefinition(target, job);
                if (fromScratch) {
                    if (job.mode() == LoadMode.INSERT) {
                        refuseRestartIntoRows(target, job);
                    }
                    Checkpoints.delete(target, job);
                } else if (stored.isPresent()) {
                    checkSameJob(stored.get());
                }
                List<Partition> plan = Checkpoints.load(target, job);
                if (job.mode() == LoadMode.FULL_REFRESH && !plan.isEmpty() && plan.stream().allMatch(p -> p.done)) {
                    Checkpoints.delete(target, job); // the last load finished: a full refresh loads again
                    plan = List.of();
                }
                if (plan.isEmpty()) {
                    snapshot.begin(pair.source()); // the plan's bounds come from the rows the partitions read
                    if (job.createTable() && !TableCreator.exists(target, job.table())) {
                        TableCreator.create(job, pair.source(), target);
                    }
                    plan = Planner.plan(job, pair.source());
                    pair.source().rollback();
                    if (job.mode() == LoadMode.TRUNCATE_INSERT || job.mode() == LoadMode.FULL_REFRESH) {
                        try (Statement s = target.createStatement()) {
                            s.execute("TRUNCATE TABLE " + Sql.table(job.table()));
                        }
                    }
                    Checkpoints.insertPlan(target, job, identity, plan);
                } else if (BlockRanges.applies(job) && plan.stream().anyMatch(p -> p.resumed)) {
                    snapshot.begin(pair.source()); // this run's snapshot must see the rows where the plan's did
                    BlockRanges.checkUnchanged(job, pair.source(), plan.get(0).sourceState);
                    pair.source().rollback();
                }
                target.commit();
                return plan;
            } catch (SQLException | RuntimeException e) {
                target.rollback();
                if (e instanceof EtlException) {
                    throw e;
                }
                throw new EtlException("job '" + job.name() + "' could not start: " + e.getMessage(),
                        e instanceof SQLException ? (SQLException) e : new SQLException(e));
            }
        }
    }

    void checkSameJob(String stored) throws EtlException {
        String again = "Start over with `etlpool reset JOB_FILE` or `etlpool run --restart JOB_FILE` "
                + "(EtlJob.reset() or runFromScratch()), or give this job a name of its own.";
        if (stored.isEmpty()) {
            throw new JobDefinitionException("job '" + job.name() + "' has checkpoints written by an older etlpool, which did not "
                    + "record what the job was, so this run cannot tell whether they belong to it and does not resume "
                    + "them. " + again);
        }
        List<String> changes = identity.changesFrom(stored);
        if (!changes.isEmpty()) {
            throw new JobDefinitionException("job '" + job.name() + "' is not the job its checkpoints were written for: "
                    + String.join("; ", changes) + ". Resuming would mix two jobs' rows. " + again);
        }
    }

    /** {@code runFromScratch} in insert mode would load every row again on top of the target's rows. */
    static void refuseRestartIntoRows(Connection target, EtlJob job) throws SQLException {
        if (!TableCreator.exists(target, job.table())) {
            return;
        }
        try (Statement s = target.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1 FROM " + Sql.table(job.table()) + " LIMIT 1")) {
            if (rs.next()) {
                throw new EtlException("job '" + job.name() + "': a restart in insert mode would load every row again "
                        + "on top of the rows already in " + job.table() + ". Use mode truncate-insert (it empties the "
                        + "table in the transaction that stores the new plan), or empty the table yourself, then "
                        + "restart");
            }
        }
    }

    private void runAll(List<Partition> todo, int fixed, int connectionBound) throws SQLException {
        if (todo.isEmpty()) {
            return;
        }
        boolean adaptive = job.adaptiveParallelism();
        int workers = adaptive ? Streams.adaptiveBound(job, todo.size(), connectionBound) : fixed;
        gate = new StreamGate(adaptive ? Math.min(Streams.ADAPTIVE_START, workers) : workers);
        AdaptiveStreams adapting = adaptive ? AdaptiveStreams.start(job.name(), gate,
                new ConcurrencyLimiter(gate.limit(), workers), rowsWritten::get,
                () -> partitionCount - partitionsDone.get()) : null;
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "etl-" + job.name() + "-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<Future<PartitionResult>> futures = new ArrayList<>();
        SQLException failure = null;
        try {
            for (Partition p : todo) {
                PartitionTask task = new PartitionTask(job, p, this);
                futures.add(pool.submit(() -> {
                    gate.enter(this::checkNotStopped);
                    running.put(p.id, task);
                    try {
                        return task.call();
                    } finally {
                        running.remove(p.id);
                        gate.leave();
                        rowsMerged.addAndGet(task.rowsMerged());
                    }
                }));
            }
            for (Future<PartitionResult> f : futures) {
                try {
                    PartitionResult r = f.get();
                    synchronized (results) {
                        results.add(r);
                    }
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (failure == null) {
                        failure = cause instanceof SQLException ? (SQLException) cause
                                : new EtlException("job '" + job.name() + "' failed: " + cause, new SQLException(cause));
                        stop(failure.getMessage());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new EtlException("job '" + job.name() + "' was interrupted; run it again to resume");
            stop("the run was interrupted");
        } finally {
            if (adapting != null) {
                adapting.close();
            }
            pool.shutdown();
            awaitAll(pool);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Returns only when every task has ended, cancelling what they run until they have. */
    private void awaitAll(ExecutorService pool) {
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.SECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
                stop("the run was interrupted");
            }
            if (stopped != null) {
                running.values().forEach(PartitionTask::cancel); // a cancel may land between statements: repeat
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop(String why) {
        if (stopped == null) {
            stopped = why;
            running.values().forEach(PartitionTask::cancel);
        }
    }

    /** Throws when the run is stopping (another partition failed): a task ends instead of retrying. */
    void checkNotStopped() throws EtlException {
        String why = stopped;
        if (why != null) {
            throw new EtlException("stopped because the run stops: " + why);
        }
    }

    /** Records the path a partition takes (the binary relay, or rows and why); the result lists each once. */
    void path(String path) {
        paths.add(path);
    }

    /** Between two chunks of a partition: waits while more partitions stream than the current level allows. */
    void betweenChunks() throws SQLException {
        gate.between(this::checkNotStopped);
    }

    int partitionCount() {
        return partitionCount;
    }

    RunLease lease() {
        return lease;
    }

    SourceSnapshot snapshot() {
        return snapshot;
    }

    RejectLimit rejectLimit() {
        return rejectLimit;
    }

    void committed(Partition p, long chunkRead, long partitionRead, long partitionWritten, long written, long rejected,
                   long merged, boolean done) {
        long totalRead = rowsRead.addAndGet(chunkRead);
        long totalWritten = rowsWritten.addAndGet(written);
        rowsRejected.addAndGet(rejected);
        rejectLimit.committed(chunkRead, rejected);
        int finished = done ? partitionsDone.incrementAndGet() : partitionsDone.get();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        job.listener().progress(new ProgressEvent(job.name(), p.id, partitionRead, partitionWritten, done,
                totalRead, totalWritten, finished, partitionCount, seconds > 0 ? totalWritten / seconds : 0,
                job.sourcePool().stats(), job.targetPool().stats(), gate.limit()));
    }
}
