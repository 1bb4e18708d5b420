package io.etlpool.etl.internal;

import io.etlpool.PoolStats;
import io.etlpool.etl.EtlException;
import io.etlpool.etl.EtlJob;
import io.etlpool.etl.JobResult;
import io.etlpool.etl.LoadMode;
import io.etlpool.etl.PartitionResult;
import io.etlpool.etl.ProgressEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Runs one job: prepares its plan and checkpoints, runs its partitions in parallel, gathers the result. */
public final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final EtlJob job;
    private final boolean fromScratch;
    private final AtomicLong rowsRead = new AtomicLong();
    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong rowsRejected = new AtomicLong();
    private final AtomicInteger partitionsDone = new AtomicInteger();
    private int partitionCount;
    private long startNanos;

    public JobRunner(EtlJob job, boolean fromScratch) {
        this.job = job;
        this.fromScratch = fromScratch;
    }

    public JobResult run() throws SQLException {
        startNanos = System.nanoTime();
        List<Partition> plan = prepare();
        partitionCount = plan.size();
        List<Partition> todo = new ArrayList<>();
        for (Partition p : plan) {
            if (p.done) {
                partitionsDone.incrementAndGet();
            } else {
                todo.add(p);
            }
        }
        boolean alreadyComplete = todo.isEmpty() && plan.stream().anyMatch(p -> p.resumed);
        if (alreadyComplete) {
            LOG.info("job {} had finished in an earlier run: nothing to do (run it from scratch to load again)", job.name());
        }
        List<PartitionResult> results = runAll(todo);
        for (Partition p : plan) {
            if (!todo.contains(p)) {
                results.add(new PartitionResult(p.id, p.range(), 0, 0, 0, 0, true));
            }
        }
        results.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        PoolStats target = job.targetPool().stats();
        return new JobResult(job.name(), alreadyComplete, rowsRead.get(), rowsWritten.get(), rowsRejected.get(),
                Duration.ofNanos(System.nanoTime() - startNanos), List.copyOf(results), job.sourcePool().stats(), target);
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
                if (fromScratch) {
                    Checkpoints.delete(target, job);
                }
                List<Partition> plan = Checkpoints.load(target, job);
                if (plan.isEmpty()) {
                    if (job.createTable() && !TableCreator.exists(target, job.table())) {
                        TableCreator.create(job, pair.source(), target);
                    }
                    plan = Planner.plan(job, pair.source());
                    if (job.mode() == LoadMode.TRUNCATE_INSERT) {
                        try (Statement s = target.createStatement()) {
                            s.execute("TRUNCATE TABLE " + Sql.table(job.table()));
                        }
                    }
                    Checkpoints.insertPlan(target, job, plan);
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

    private List<PartitionResult> runAll(List<Partition> todo) throws SQLException {
        List<PartitionResult> results = new ArrayList<>();
        if (todo.isEmpty()) {
            return results;
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(Math.min(job.parallelism(), todo.size()), r -> {
            Thread t = new Thread(r, "etl-" + job.name() + "-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<PartitionResult>> futures = new ArrayList<>();
            for (Partition p : todo) {
                futures.add(workers.submit(new PartitionTask(job, p, this)));
            }
            for (Future<PartitionResult> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (ExecutionException e) {
            workers.shutdownNow(); // the job failed: stop the other partitions (their committed chunks stay)
            Throwable cause = e.getCause();
            if (cause instanceof SQLException) {
                throw (SQLException) cause;
            }
            throw new EtlException("job '" + job.name() + "' failed: " + cause, new SQLException(cause));
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
            throw new EtlException("job '" + job.name() + "' was interrupted; run it again to resume");
        } finally {
            workers.shutdown();
            try {
                workers.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    int partitionCount() {
        return partitionCount;
    }

    void read(long rows) {
        rowsRead.addAndGet(rows);
    }

    void committed(Partition p, long partitionRead, long partitionWritten, long written, long rejected, boolean done) {
        long totalWritten = rowsWritten.addAndGet(written);
        rowsRejected.addAndGet(rejected);
        int finished = done ? partitionsDone.incrementAndGet() : partitionsDone.get();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        job.listener().progress(new ProgressEvent(job.name(), p.id, partitionRead, partitionWritten, done,
                rowsRead.get(), totalWritten, finished, partitionCount, seconds > 0 ? totalWritten / seconds : 0,
                job.sourcePool().stats(), job.targetPool().stats()));
    }
}
