package io.etlpool.etl.internal;

import io.etlpool.EtlPool;
import io.etlpool.PoolStats;
import io.etlpool.etl.EtlException;
import io.etlpool.etl.EtlJob;
import io.etlpool.etl.JobFailedException;
import io.etlpool.etl.JobResult;
import io.etlpool.etl.PipelineListener;
import io.etlpool.etl.PipelineResult;
import io.etlpool.etl.PipelineResult.Status;
import io.etlpool.etl.PipelineResult.StreamResult;
import io.etlpool.etl.ProgressEvent;
import io.etlpool.etl.ProgressListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Runs a pipeline's streams: sizes each pool to the budget, lowers each stream's parallelism to what fits
 * it alone, estimates each stream's rows, creates copied tables, starts streams largest first whenever what
 * they need fits beside those running (a stream with fewer partitions left than it holds connections for gives
 * the surplus back at once), isolates each stream's failure, builds each copied table's keys and
 * indexes as soon as its stream has loaded, and adds the foreign keys and sequences once all of them are
 * complete ({@link TableCompletion}). Returns only when every stream it started has ended.
 */
public final class PipelineRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

    /**
     * One stream: its name, its job as defined (for status, reset and planning), the source table when it
     * copies a whole table (else null), and how to build the job it runs with a parallelism and a listener.
     */
    public record Stream(String name, EtlJob probe, String sourceTable,
                         BiFunction<Integer, ProgressListener, EtlJob> build) {
    }

    private record Planned(int order, Stream stream, int parallelism, Map<EtlPool, Integer> demand, long size) {

        /**
         * The rows this run is expected to move, as reported: unknown (-1) for an incremental stream, whose run
         * loads one increment of its query (the query's size still orders the streams).
         */
        long estimate() {
            return stream.probe().incremental() != null ? -1 : size;
        }
    }

    private PipelineRunner() {
    }

    /** Refuses, before anything runs, what a pipeline cannot do exactly: see {@code Pipeline.Builder.build()}. */
    public static void check(String pipeline, List<Stream> streams, Integer maxConnections) {
        String p = "pipeline '" + pipeline + "': ";
        Map<String, String> names = new HashMap<>();
        Map<List<Object>, String> tables = new HashMap<>();
        Map<String, EtlPool> databases = new HashMap<>();
        for (Stream s : streams) {
            if (names.put(s.name(), s.name()) != null) {
                throw new IllegalArgumentException(p + "two streams are named '" + s.name() + "': give each its own name "
                        + "(it names its checkpoints)");
            }
            for (EtlPool pool : List.of(s.probe().sourcePool(), s.probe().targetPool())) {
                String db = pool.config().jdbcUrl() + " as " + pool.config().username();
                EtlPool seen = databases.putIfAbsent(db, pool);
                if (seen != null && seen != pool) {
                    throw new IllegalArgumentException(p + "pools '" + seen.name() + "' and '" + pool.name() + "' connect "
                            + "to the same database: give every stream of one database the same pool, so that one "
                            + "budget holds for it");
                }
            }
            List<Object> table = samePool(s.probe().targetPool(), Sql.canonical(s.probe().table(), "table", 2));
            String other = tables.putIfAbsent(table, s.name());
            if (other != null) {
                throw new IllegalArgumentException(p + "streams '" + other + "' and '" + s.name() + "' both write table "
                        + Sql.canonical(s.probe().table(), "table", 2) + ": each stream needs a table of its own (their "
                        + "checkpoints and modes would work against each other)");
            }
        }
        Map<EtlPool, Integer> capacity = capacity(streams, maxConnections);
        for (Stream s : streams) {
            parallelism(pipeline, s, capacity);
        }
    }

    private static Map<EtlPool, Integer> capacity(List<Stream> streams, Integer maxConnections) {
        Map<EtlPool, Integer> capacity = new IdentityHashMap<>();
        for (Stream s : streams) {
            for (EtlPool pool : List.of(s.probe().sourcePool(), s.probe().targetPool())) {
                capacity.putIfAbsent(pool, maxConnections != null ? maxConnections : pool.stats().maxSize());
            }
        }
        return capacity;
    }

    /** The stream's own parallelism, lowered until its run fits the budget alone; refuses when one partition does not. */
    private static int parallelism(String pipeline, Stream s, Map<EtlPool, Integer> capacity) {
        int p = Math.max(1, Math.min(s.probe().parallelism(), s.probe().partitions()));
        ConnectionBudget all = new ConnectionBudget(capacity);
        while (p > 1 && !all.fits(ConnectionBudget.demand(s.probe(), p))) {
            p--;
        }
        Map<EtlPool, Integer> least = ConnectionBudget.demand(s.probe(), 1);
        if (!all.fits(least)) {
            StringBuilder b = new StringBuilder();
            least.forEach((pool, n) -> b.append(b.length() == 0 ? "" : ", ").append(n).append(" of pool '")
                    .append(pool.name()).append("' (budget ").append(capacity.get(pool)).append(')'));
            throw new IllegalArgumentException("pipeline '" + pipeline + "': stream '" + s.name() + "' needs at least "
                    + b + ": the lease in the target, " + (s.probe().partitions() > 1 ? "the source snapshot, " : "")
                    + "and one source and one target connection for a partition. Raise maxConnections");
        }
        return p;
    }

    /**
     * The partitions a stream that sets no parallelism runs at once in a pipeline: its default ({@code p}, one per
     * core) times its share of the pipeline's estimated rows, rounded up, at least 1. Streams of other tables
     * keep the other cores busy, and one stream per table costs the servers less CPU than two on one table
     * (each reads its whole key range in one scan, and no two sessions insert into one table): so a table
     * is split only when it is the long pole, more than a core's share of the rows. Unknown sizes keep {@code p}.
     */
    static int shareOfStreams(int p, long rows, long pipelineRows) {
        if (rows < 0 || pipelineRows <= 0) {
            return p;
        }
        return (int) Math.max(1, Math.min(p, Math.ceil(p * (double) rows / pipelineRows)));
    }

    public static PipelineResult run(String pipeline, List<Stream> streams, Integer maxConnections,
                                     PipelineListener listener, boolean fromScratch) throws SQLException {
        long start = System.nanoTime();
        Map<EtlPool, int[]> sizes = new IdentityHashMap<>();
        Map<EtlPool, Integer> capacity = capacity(streams, maxConnections);
        if (maxConnections != null) {
            for (EtlPool pool : capacity.keySet()) {
                synchronized (pool) { // PoolReserve changes sizes under the same monitor
                    PoolStats st = pool.stats();
                    sizes.put(pool, new int[] {st.minSize(), st.maxSize()});
                    pool.resize(Math.min(st.minSize(), maxConnections), maxConnections);
                }
            }
        }
        try {
            List<Planned> plan = new ArrayList<>();
            long[] rows = new long[streams.size()];
            long known = 0;
            for (int i = 0; i < rows.length; i++) {
                rows[i] = SizeEstimate.rows(streams.get(i).probe());
                known += Math.max(0, rows[i]);
            }
            for (int i = 0; i < streams.size(); i++) {
                Stream s = streams.get(i);
                int p = parallelism(pipeline, s, capacity);
                if (s.probe().parallelismSet() == 0) {
                    p = shareOfStreams(p, rows[i], known);
                }
                plan.add(new Planned(i, s, p, ConnectionBudget.demand(s.probe(), p), rows[i]));
            }
            StreamResult[] results = new StreamResult[plan.size()];
            Map<String, Long> estimates = new LinkedHashMap<>();
            plan.forEach(p -> estimates.put(p.stream().name(), p.estimate()));
            try {
                listener.starting(java.util.Collections.unmodifiableMap(estimates));
            } catch (RuntimeException e) {
                LOG.warn("pipeline listener failed", e);
            }
            preflight(streams);
            List<Stream> copies = copies(streams);
            // before any row moves: existing targets checked, missing ones created
            TableCompletion tables = copies.isEmpty() ? null : TableCompletion.create(copies);
            stateTables(streams);
            schedule(pipeline, plan, capacity, listener, fromScratch, tables, results);
            String done = null;
            if (tables != null) {
                List<String> failed = new ArrayList<>();
                int workers = 1;
                for (Planned p : plan) {
                    if (tables.covers(p.stream().name())) { // its parallelism before its share of the streams
                        workers = Math.max(workers, parallelism(pipeline, p.stream(), capacity));
                        if (!complete(results[p.order()])) {
                            failed.add(p.stream().name());
                        }
                    }
                }
                if (failed.isEmpty()) {
                    Map<String, String> refused = new LinkedHashMap<>();
                    done = tables.finish(workers, capacity, refused);
                    for (Planned p : plan) {
                        String why = refused.get(p.stream().name());
                        if (why != null) {
                            StreamResult r = results[p.order()];
                            results[p.order()] = new StreamResult(r.stream(), r.table(), Status.FAILED, r.estimatedRows(),
                                    r.parallelism(), r.result(), "stream '" + r.stream() + "': its rows, keys and indexes "
                                    + "are in, but " + why);
                            LOG.warn("stream {} failed at its foreign keys: {}", r.stream(), why);
                        }
                    }
                } else {
                    done = "as each table loaded: " + tables.asLoaded() + "; foreign keys and sequences not added (they "
                            + "wait for every copied table): stream(s) " + String.join(", ", failed) + " did not "
                            + "complete; the next run completes them";
                }
            }
            Map<String, Integer> budget = new LinkedHashMap<>();
            capacity.forEach((pool, n) -> budget.put(pool.name(), n));
            return new PipelineResult(pipeline, List.of(results), budget, done,
                    Duration.ofNanos(System.nanoTime() - start));
        } finally {
            sizes.forEach((pool, mm) -> {
                synchronized (pool) {
                    if (!pool.isClosed()) {
                        pool.resize(mm[0], mm[1]);
                    }
                }
            });
        }
    }

    /**
     * Creates etlpool's checkpoint and lease tables for every stream, one after another, before streams start
     * side by side: two sessions creating the same table at once would fail one of them.
     */
    private static void stateTables(List<Stream> streams) throws SQLException {
        Map<List<Object>, EtlJob> distinct = new LinkedHashMap<>();
        for (Stream s : streams) {
            distinct.putIfAbsent(samePool(s.probe().targetPool(), s.probe().checkpointSchema()), s.probe());
        }
        Map<List<Object>, EtlJob> incremental = new LinkedHashMap<>();
        for (Stream s : streams) {
            if (s.probe().incremental() != null) {
                incremental.putIfAbsent(samePool(s.probe().targetPool(), s.probe().checkpointSchema()), s.probe());
            }
        }
        for (Map.Entry<List<Object>, EtlJob> e : distinct.entrySet()) {
            EtlJob job = e.getValue();
            try (java.sql.Connection c = job.targetPool().getConnection()) {
                c.setAutoCommit(true);
                Checkpoints.createIfMissing(c, job);
                if (incremental.containsKey(e.getKey())) {
                    IncrementTable.createIfMissing(c, incremental.get(e.getKey()));
                }
            }
            RunLease.holder(job); // creates the lease table when it is missing
        }
    }

    /**
     * What a stream's run would refuse on the source before moving a row (an incremental cursor that may be
     * NULL or has no order), checked for every stream before any starts, so that such a pipeline moves nothing.
     */
    private static void preflight(List<Stream> streams) throws SQLException {
        for (Stream s : streams) {
            if (s.probe().incremental() != null) {
                try (java.sql.Connection c = s.probe().sourcePool().getConnection()) {
                    c.setAutoCommit(true);
                    CursorBound.cursorType(s.probe(), c);
                }
            }
        }
    }

    /** Streams that copy a whole table and create their target: those get the source table's definition. */
    private static List<Stream> copies(List<Stream> streams) {
        List<Stream> copies = new ArrayList<>();
        for (Stream s : streams) {
            if (s.sourceTable() != null && s.probe().createTable()) {
                copies.add(s);
            }
        }
        return copies;
    }

    /**
     * A map key for these pools and values: pools compare by identity (an EtlPool does not override equals),
     * so two pools never share a key, as two identity hash codes may.
     */
    static List<Object> samePool(Object... poolsAndValues) {
        return java.util.Arrays.asList(poolsAndValues);
    }

    /** Whether the stream's table is loaded and has its keys and indexes (or it copies no table). */
    private static boolean complete(StreamResult r) {
        return r != null && (r.status() == Status.LOADED || r.status() == Status.ALREADY_COMPLETE);
    }

    /** Connections a running stream gives back to the budget: at once when {@code last}, else part of them. */
    private record Release(Planned planned, Map<EtlPool, Integer> demand, boolean last) {
    }

    private static void schedule(String pipeline, List<Planned> plan, Map<EtlPool, Integer> capacity,
                                 PipelineListener listener, boolean fromScratch, TableCompletion tables,
                                 StreamResult[] results) {
        List<Planned> pending = new ArrayList<>(plan);
        // largest first; unknown sizes after the known ones, then in declared order
        pending.sort(Comparator.comparingLong((Planned p) -> -p.size()).thenComparingInt(Planned::order));
        ConnectionBudget budget = new ConnectionBudget(capacity);
        LinkedBlockingQueue<Release> ended = new LinkedBlockingQueue<>();
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "pipeline-" + pipeline);
            t.setDaemon(true);
            return t;
        });
        int running = 0;
        boolean stopped = false;
        try {
            while (true) {
                for (Iterator<Planned> it = pending.iterator(); !stopped && it.hasNext(); ) {
                    Planned p = it.next();
                    if (budget.fits(p.demand())) {
                        budget.take(p.demand());
                        it.remove();
                        running++;
                        try { // here, not on the stream's thread: streams are told in the order they start
                            listener.streamStarting(p.stream().name(), p.estimate(), p.parallelism());
                        } catch (RuntimeException e) {
                            LOG.warn("pipeline listener failed on stream {}", p.stream().name(), e);
                        }
                        threads.execute(() -> runAndComplete(p, listener, fromScratch, tables, results, ended));
                    }
                }
                if (running == 0) {
                    break;
                }
                try {
                    Release r = ended.take();
                    if (r.last()) {
                        running--;
                    }
                    budget.giveBack(r.demand());
                } catch (InterruptedException e) {
                    stopped = true;
                    threads.shutdownNow(); // each running job stops its partitions and returns what it committed
                    // and this thread keeps waiting for them; the interrupt flag is set again at the end
                }
            }
        } finally {
            threads.shutdown();
        }
        for (Planned p : pending) {
            results[p.order()] = new StreamResult(p.stream().name(), p.stream().probe().table(), Status.NOT_STARTED,
                    p.estimate(), p.parallelism(), null, "the run was interrupted before this stream started");
        }
        if (stopped) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * On the stream's own thread: its load, then, when it copies a whole table and its last row is committed,
     * that table's keys and indexes, on one target connection of the stream's budget (the rest goes back at
     * once, for the streams still waiting), side by side with the streams still loading, as pg_restore -j
     * builds a table's indexes once its data is in. A stream whose load fails gets none: its next run loads
     * the rest and then builds them. Keys or indexes the target refuses (duplicate keys) fail the stream,
     * naming the table and the constraint; its rows and every other stream's stay.
     */
    private static void runAndComplete(Planned p, PipelineListener listener, boolean fromScratch,
                                       TableCompletion tables, StreamResult[] results, LinkedBlockingQueue<Release> ended) {
        Holding holding = new Holding(p, ended);
        Map<EtlPool, Integer> keep = null;
        try {
            StreamResult r = runStream(p, listener, fromScratch, holding);
            keep = holding.end(); // the job has returned: what it still holds, never changed again
            if (tables != null && tables.covers(p.stream().name()) && complete(r)) {
                Map<EtlPool, Integer> back = keep;
                keep = new IdentityHashMap<>();
                keep.put(p.stream().probe().targetPool(), 1);
                back.merge(p.stream().probe().targetPool(), -1, Integer::sum);
                ended.add(new Release(p, back, false));
                r = keysAndIndexes(p, r, tables);
            }
            results[p.order()] = r;
            try {
                listener.streamFinished(r);
            } catch (RuntimeException e) {
                LOG.warn("pipeline listener failed on stream {}", p.stream().name(), e);
            }
        } finally {
            ended.add(new Release(p, keep != null ? keep : holding.end(), true));
        }
    }

    /**
     * The partition connections a running stream holds from the budget. Its job runs at most as many
     * partitions at once as it has left to finish, so when that falls below what it holds, the surplus (one
     * source and one target connection per partition) goes back at once, for the next stream; it keeps the
     * lease, the snapshot and at least one partition's pair (what the job's last steps may use). Once the
     * job has returned, {@link #end()} freezes what is held: a late event gives nothing back twice.
     */
    private static final class Holding {
        private final Planned planned;
        private final LinkedBlockingQueue<Release> ended;
        private int partitions;
        private boolean over;

        Holding(Planned planned, LinkedBlockingQueue<Release> ended) {
            this.planned = planned;
            this.ended = ended;
            this.partitions = planned.parallelism();
        }

        /** {@code left}: partitions of this run not yet finished (running ones included). */
        synchronized void left(int left) {
            int need = Math.max(1, left);
            if (over || need >= partitions) {
                return;
            }
            ended.add(new Release(planned, pairs(partitions - need), false));
            partitions = need;
        }

        /** What the stream holds now: its demand less the partition pairs already given back. */
        synchronized Map<EtlPool, Integer> end() {
            over = true;
            Map<EtlPool, Integer> held = new IdentityHashMap<>(planned.demand());
            pairs(planned.parallelism() - partitions).forEach((pool, n) -> held.merge(pool, -n, Integer::sum));
            return held;
        }

        private Map<EtlPool, Integer> pairs(int n) {
            Map<EtlPool, Integer> m = new IdentityHashMap<>();
            m.merge(planned.stream().probe().sourcePool(), n, Integer::sum);
            m.merge(planned.stream().probe().targetPool(), n, Integer::sum);
            return m;
        }
    }

    private static StreamResult keysAndIndexes(Planned p, StreamResult r, TableCompletion tables) {
        String why;
        try {
            tables.keysAndIndexes(p.stream().name());
            return r;
        } catch (SQLException | RuntimeException e) {
            why = e instanceof EtlException ? e.getMessage() : e.toString();
        }
        LOG.warn("stream {} loaded, but its table's keys and indexes failed: {}", p.stream().name(), why);
        return new StreamResult(r.stream(), r.table(), Status.FAILED, r.estimatedRows(), r.parallelism(), r.result(),
                "stream '" + r.stream() + "': its rows are loaded, but " + why);
    }

    private static StreamResult runStream(Planned p, PipelineListener listener, boolean fromScratch, Holding holding) {
        Stream s = p.stream();
        String table = s.probe().table();
        StreamResult r;
        try {
            EtlJob job = s.build().apply(p.parallelism(), new ProgressListener() {
                @Override
                public void progress(ProgressEvent event) {
                    if (event.partitionDone()) { // before the listener, which may be slow or throw
                        holding.left(event.partitions() - event.partitionsDone());
                    }
                    listener.progress(s.name(), event);
                }

                @Override
                public void starting(String job, int partitionsDone, int partitions, boolean resumed) {
                    holding.left(partitions - partitionsDone); // a resumed run may have fewer left than it holds
                }
            });
            JobResult result = fromScratch ? job.runFromScratch() : job.run();
            r = new StreamResult(s.name(), table, result.alreadyComplete() ? Status.ALREADY_COMPLETE : Status.LOADED,
                    p.estimate(), p.parallelism(), result, null);
        } catch (JobFailedException e) {
            r = new StreamResult(s.name(), table, Status.FAILED, p.estimate(), p.parallelism(), e.result(), e.getMessage());
        } catch (SQLException | RuntimeException e) {
            String why = e instanceof EtlException ? e.getMessage() : "stream '" + s.name() + "' failed: " + e;
            r = new StreamResult(s.name(), table, Status.FAILED, p.estimate(), p.parallelism(), null, why);
        } catch (Error e) {
            r = new StreamResult(s.name(), table, Status.FAILED, p.estimate(), p.parallelism(), null,
                    "stream '" + s.name() + "' failed: " + e);
            LOG.error("pipeline stream {} failed", s.name(), e);
        }
        if (r.status() == Status.FAILED) {
            LOG.warn("stream {} failed; the other streams go on: {}", s.name(), r.error());
        }
        return r;
    }
}
