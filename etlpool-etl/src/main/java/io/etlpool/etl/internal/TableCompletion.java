package io.etlpool.etl.internal;

import io.etlpool.EtlPool;
import io.etlpool.etl.EtlException;
import io.etlpool.etl.EtlJob;
import io.etlpool.etl.internal.TableDefinition.Constraint;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The tables a pipeline copies whole, from their creation to their last foreign key, in the order
 * {@code pg_restore -j} uses: {@link #create} checks or creates every target before any row moves;
 * {@link #keysAndIndexes} builds one table's primary key, unique, exclusion and check constraints and
 * indexes as soon as its stream has committed its last row, side by side with the streams still loading
 * (on a target connection of that stream's budget); {@link #finish} adds the foreign keys once every table
 * is complete, several at once but never two that touch the same table (so no two wait on each other's
 * locks), then sets the sequences from the source. Each piece is skipped when it is already there, so a
 * re-run completes what an earlier one left.
 */
final class TableCompletion {

    /** One source and target pool pair's copies. */
    private static final class Pair {
        final EtlJob first;
        /** Written source table to its job, in declared order. */
        final Map<String, EtlJob> jobs = new LinkedHashMap<>();
        /** Written source table to its stream's name. */
        final Map<String, String> streamOf = new LinkedHashMap<>();
        JobTables.Copied copied;

        Pair(EtlJob first) {
            this.first = first;
        }
    }

    /** A foreign key to add: the stream whose table has it, the table's target name, the tables it locks. */
    private record ForeignKey(String stream, TableName table, Constraint constraint, Set<TableName> locks) {
    }

    private final List<Pair> pairs;
    private final Map<String, Pair> pairOf = new LinkedHashMap<>();
    private final Map<String, String> tableOf = new LinkedHashMap<>();
    private final AfterLoad.Tally asLoaded = new AfterLoad.Tally();

    private TableCompletion(List<Pair> pairs) {
        this.pairs = pairs;
        for (Pair p : pairs) {
            p.streamOf.forEach((table, stream) -> {
                pairOf.put(stream, p);
                tableOf.put(stream, table);
            });
        }
    }

    /**
     * Checks the existing targets of the streams and creates the missing ones (per pool pair in one target
     * transaction), before any row moves.
     */
    static TableCompletion create(List<PipelineRunner.Stream> copies) throws SQLException {
        Map<List<Object>, Pair> byPair = new LinkedHashMap<>();
        for (PipelineRunner.Stream s : copies) {
            Pair p = byPair.computeIfAbsent(PipelineRunner.samePool(s.probe().sourcePool(), s.probe().targetPool()),
                    k -> new Pair(s.probe()));
            p.jobs.put(s.sourceTable(), s.probe());
            p.streamOf.put(s.sourceTable(), s.name());
        }
        for (Pair p : byPair.values()) {
            try (ConnectionPair c = ConnectionPair.open(p.first)) {
                c.target().setAutoCommit(false);
                try {
                    p.copied = JobTables.create(c.source(), c.target(), p.jobs);
                    c.target().commit();
                } catch (SQLException | RuntimeException e) {
                    rollback(c.target(), e);
                    throw e;
                }
            }
        }
        return new TableCompletion(new ArrayList<>(byPair.values()));
    }

    /** Whether the stream copies one of these tables. */
    boolean covers(String stream) {
        return pairOf.containsKey(stream);
    }

    /**
     * The stream's table's primary key, unique, exclusion and check constraints and indexes, in one target
     * transaction (all of them or, when one fails, none), on a connection of its own. Refuses with the table
     * and the constraint or index named when the target refuses one (e.g. duplicate keys); the loaded rows stay.
     */
    void keysAndIndexes(String stream) throws SQLException {
        Pair p = pairOf.get(stream);
        TableDefinition t = p.copied.byWritten().get(tableOf.get(stream));
        AfterLoad.Tally tally = new AfterLoad.Tally();
        try (Connection c = p.first.targetPool().getConnection()) {
            c.setAutoCommit(false);
            try {
                AfterLoad.keysAndIndexes(c, t, p.copied.names().of(t.source()), tally);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        synchronized (asLoaded) {
            asLoaded.addAll(tally);
        }
    }

    /**
     * Once every table is complete: the foreign keys, up to {@code workers} at once per pool pair (at most the
     * target's budget), never two on the same table at once, then each sequence set from the source as it is
     * now. A foreign key the target refuses is put in {@code failures} under its table's stream (the others
     * still go on); returns what was added, for the report.
     */
    String finish(int workers, Map<EtlPool, Integer> capacity, Map<String, String> failures) throws SQLException {
        AfterLoad.Tally atEnd = new AfterLoad.Tally();
        for (Pair p : pairs) {
            List<ForeignKey> fks = new ArrayList<>();
            for (Map.Entry<String, TableDefinition> e : p.copied.byWritten().entrySet()) {
                TableName to = p.copied.names().of(e.getValue().source());
                for (Constraint c : e.getValue().constraints()) {
                    if (c.kind() == Constraint.FOREIGN_KEY) {
                        Set<TableName> locks = new HashSet<>(List.of(to, p.copied.names().of(c.references())));
                        fks.add(new ForeignKey(p.streamOf.get(e.getKey()), to, c, locks));
                    }
                }
            }
            int n = Math.max(1, Math.min(Math.min(workers, fks.size()),
                    capacity.getOrDefault(p.first.targetPool(), workers)));
            foreignKeys(p, fks, n, failures, atEnd);
            try (ConnectionPair c = ConnectionPair.open(p.first)) {
                c.target().setAutoCommit(true);
                for (TableDefinition t : SchemaCopy.currentSequences(c.source(), p.copied.tables())) {
                    AfterLoad.sequences(c.target(), t, p.copied.names().of(t.source()), atEnd);
                }
            }
        }
        String loaded;
        synchronized (asLoaded) {
            loaded = asLoaded.toString();
        }
        return "as each table loaded: " + loaded + "; at the end: " + atEnd;
    }

    /** What {@link #keysAndIndexes} added so far, over all tables. */
    String asLoaded() {
        synchronized (asLoaded) {
            return asLoaded.toString();
        }
    }

    /**
     * The foreign keys on {@code workers} connections, each in its own transaction. A worker takes the first
     * foreign key whose tables no other worker is altering: ADD FOREIGN KEY locks both tables in a mode that
     * conflicts with itself, so two at once on one table would only wait (or, crosswise, deadlock).
     */
    private static void foreignKeys(Pair p, List<ForeignKey> fks, int workers, Map<String, String> failures,
                                    AfterLoad.Tally tally) throws SQLException {
        if (fks.isEmpty()) {
            return;
        }
        List<ForeignKey> todo = new ArrayList<>(fks);
        Set<TableName> busy = new HashSet<>();
        ExecutorService threads = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "pipeline-foreign-keys");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                running.add(threads.submit(() -> {
                    try (Connection c = p.first.targetPool().getConnection()) {
                        c.setAutoCommit(true);
                        while (true) {
                            ForeignKey next = null;
                            synchronized (todo) {
                                while (next == null) {
                                    if (todo.isEmpty()) {
                                        return null;
                                    }
                                    for (Iterator<ForeignKey> it = todo.iterator(); it.hasNext(); ) {
                                        ForeignKey fk = it.next();
                                        if (java.util.Collections.disjoint(busy, fk.locks())) {
                                            it.remove();
                                            busy.addAll(fk.locks());
                                            next = fk;
                                            break;
                                        }
                                    }
                                    if (next == null) {
                                        todo.wait();
                                    }
                                }
                            }
                            AfterLoad.Tally mine = new AfterLoad.Tally();
                            try {
                                AfterLoad.foreignKey(c, next.table(), next.constraint(), p.copied.names(), mine);
                                synchronized (tally) {
                                    tally.addAll(mine);
                                }
                            } catch (SQLException e) {
                                synchronized (failures) {
                                    failures.merge(next.stream(), e.getMessage(), (a, b) -> a + "; " + b);
                                }
                            } finally {
                                synchronized (todo) {
                                    busy.removeAll(next.locks());
                                    todo.notifyAll();
                                }
                            }
                        }
                    }
                }));
            }
            SQLException failure = null;
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (failure == null) {
                        failure = cause instanceof SQLException s ? s
                                : new EtlException("adding foreign keys failed: " + cause, new SQLException(cause));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EtlException("adding foreign keys was interrupted; run again to add the rest");
                }
            }
            synchronized (todo) {
                if (failure != null && !todo.isEmpty()) { // every worker lost its connection: what is left waits
                    throw failure;
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
