package io.etlpool.etl.internal;

import io.etlpool.EtlPool;
import io.etlpool.etl.EtlException;
import io.etlpool.etl.EtlJob;
import io.etlpool.etl.internal.TableDefinition.Constraint;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The tables a pipeline copies whole, from their creation to their last foreign key, in the order
 * {@code pg_restore -j} uses: {@link #create} checks or creates every target before any row moves;
 * {@link #keysAndIndexes} builds one table's primary key, unique, exclusion and check constraints and
 * indexes as soon as its stream has committed its last row, side by side with the streams still loading
 * (on a target connection of that stream's budget); each foreign key is added as soon as both its table
 * and the table it references are complete ({@link #completed}, {@link #nextForeignKey}, {@link #add}),
 * beside the streams still loading, never two that touch the same table at once (so no two wait on each
 * other's locks); {@link #finish} sets the sequences from the source once every stream has ended. Each
 * piece is skipped when it is already there, so a re-run completes what an earlier one left.
 *
 * <p>A foreign key is added with a plain {@code ADD CONSTRAINT ... FOREIGN KEY}: it takes SHARE ROW
 * EXCLUSIVE on both tables, which would block a stream still writing either of them, but it only ever
 * touches two complete tables, which no stream writes any more. So the two-step {@code NOT VALID} +
 * {@code VALIDATE CONSTRAINT} (which lets writes go on during the check) would buy nothing here, and would
 * leave a constraint not yet valid behind when a run stops between the steps.
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

    /** A table one foreign key locks: the target pool (tables of two databases never conflict) and its name. */
    private record Lock(EtlPool pool, TableName table) {
    }

    /**
     * A foreign key to add: the stream whose table has it, the stream whose table it references (null when
     * that table is not copied by this pipeline: then it waits until every stream has ended, as another
     * stream may write it), the table's target name, and the tables it locks.
     */
    static final class ForeignKey {
        private final Pair pair;
        private final String stream;
        private final String referencedStream;
        private final TableName table;
        private final Constraint constraint;
        private final Set<Lock> locks;

        private ForeignKey(Pair pair, String stream, String referencedStream, TableName table, Constraint constraint) {
            this.pair = pair;
            this.stream = stream;
            this.referencedStream = referencedStream;
            this.table = table;
            this.constraint = constraint;
            EtlPool pool = pair.first.targetPool();
            this.locks = new HashSet<>(List.of(new Lock(pool, table),
                    new Lock(pool, pair.copied.names().of(constraint.references()))));
        }

        /** The pool whose connection adds it. */
        EtlPool targetPool() {
            return pair.first.targetPool();
        }
    }

    private final List<Pair> pairs;
    private final Map<String, Pair> pairOf = new LinkedHashMap<>();
    private final Map<String, String> tableOf = new LinkedHashMap<>();
    private final AfterLoad.Tally asLoaded = new AfterLoad.Tally();
    /** Guarded by this: the foreign keys not yet taken, in declared order; streams complete; tables being altered. */
    private final List<ForeignKey> waiting = new ArrayList<>();
    private final Set<String> complete = new HashSet<>();
    private final Set<Lock> busy = new HashSet<>();
    private final AfterLoad.Tally foreignKeys = new AfterLoad.Tally();

    private TableCompletion(List<Pair> pairs) {
        this.pairs = pairs;
        for (Pair p : pairs) {
            p.streamOf.forEach((table, stream) -> {
                pairOf.put(stream, p);
                tableOf.put(stream, table);
            });
            Map<TableName, String> streamBySource = new HashMap<>();
            p.copied.byWritten().forEach((written, t) -> streamBySource.put(t.source(), p.streamOf.get(written)));
            for (Map.Entry<String, TableDefinition> e : p.copied.byWritten().entrySet()) {
                TableName to = p.copied.names().of(e.getValue().source());
                for (Constraint c : e.getValue().constraints()) {
                    if (c.kind() == Constraint.FOREIGN_KEY) {
                        waiting.add(new ForeignKey(p, p.streamOf.get(e.getKey()), streamBySource.get(c.references()),
                                to, c));
                    }
                }
            }
        }
    }

    /**
     * Checks the existing targets of the streams and creates the missing ones (per pool pair in one target
     * transaction), before any row moves.
     */
    static TableCompletion create(List<PipelineRunner.Stream> copies) throws SQLException {
        Map<String, Pair> byPair = new LinkedHashMap<>();
        for (PipelineRunner.Stream s : copies) {
            String key = System.identityHashCode(s.probe().sourcePool()) + ":"
                    + System.identityHashCode(s.probe().targetPool());
            Pair p = byPair.computeIfAbsent(key, k -> new Pair(s.probe()));
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
     * The stream has ended with its table loaded and its keys and indexes built: its foreign keys, and those
     * referencing its table, may go in once the other table is complete too. A stream that failed is never
     * told, so foreign keys touching its table wait for the next run.
     */
    synchronized void completed(String stream) {
        complete.add(stream);
    }

    /**
     * The first foreign key not yet taken whose two tables are complete (a table not copied here counts once
     * {@code allEnded}: every stream has ended), that no foreign key being added touches, and whose pool
     * {@code room} has a connection free for; it is taken (its tables now busy until {@link #released}), or
     * null when none is. A self-reference needs its one table, a cycle's keys each their two, so a cycle's
     * keys go in once all its tables are complete.
     */
    synchronized ForeignKey nextForeignKey(boolean allEnded, Predicate<EtlPool> room) {
        for (Iterator<ForeignKey> it = waiting.iterator(); it.hasNext(); ) {
            ForeignKey fk = it.next();
            boolean ready = complete.contains(fk.stream)
                    && (fk.referencedStream == null ? allEnded : complete.contains(fk.referencedStream));
            if (ready && Collections.disjoint(busy, fk.locks) && room.test(fk.targetPool())) {
                it.remove();
                busy.addAll(fk.locks);
                return fk;
            }
        }
        return null;
    }

    /** The foreign key's tables may be altered again (it was added, refused, or failed). */
    synchronized void released(ForeignKey fk) {
        busy.removeAll(fk.locks);
    }

    /**
     * Adds one foreign key taken by {@link #nextForeignKey}, on a connection of its own in one statement.
     * When the target refuses it (a row without its referenced row) or the connection fails, the message,
     * naming the table and the constraint, goes in {@code failures} under the stream of the table that has
     * it; the other foreign keys still go on.
     */
    void add(ForeignKey fk, Map<String, String> failures) {
        AfterLoad.Tally mine = new AfterLoad.Tally();
        String why = null;
        try (Connection c = fk.targetPool().getConnection()) {
            c.setAutoCommit(true);
            AfterLoad.foreignKey(c, fk.table, fk.constraint, fk.pair.copied.names(), mine);
        } catch (EtlException e) {
            why = e.getMessage();
        } catch (SQLException | RuntimeException e) {
            why = "table " + fk.table + ": foreign key " + Sql.quote(fk.constraint.name()) + " could not be added: " + e
                    + ". Run again to add it";
        }
        if (why != null) {
            synchronized (failures) {
                failures.merge(fk.stream, why, (a, b) -> a + "; " + b);
            }
            return;
        }
        synchronized (this) {
            foreignKeys.addAll(mine);
        }
    }

    /**
     * Once every stream has ended (and every foreign key taken has been added or refused): when every copied
     * table is complete ({@code unfinished} is empty), each sequence set from the source as it is now; returns
     * what was added, for the report, and what waits for the next run.
     */
    String finish(List<String> unfinished) throws SQLException {
        String loaded;
        synchronized (asLoaded) {
            loaded = asLoaded.toString();
        }
        String fks;
        int left;
        synchronized (this) {
            fks = foreignKeys.toString();
            left = waiting.size();
        }
        String report = "as each table loaded: " + loaded + "; as both tables of each were complete: " + fks;
        String fksLeft = left == 0 ? "" : left + " foreign key" + (left == 1 ? "" : "s") + " (waiting for both "
                + "their tables)";
        if (!unfinished.isEmpty()) {
            return report + "; not added yet: " + (fksLeft.isEmpty() ? "" : fksLeft + ", ") + "the sequences (they wait "
                    + "for every copied table): stream(s) " + String.join(", ", unfinished) + " did not complete; the "
                    + "next run completes them";
        }
        if (!fksLeft.isEmpty()) { // every table complete, yet some not taken: the run was stopped
            report += "; not added yet: " + fksLeft + ", the run was stopped; the next run adds them";
        }
        AfterLoad.Tally atEnd = new AfterLoad.Tally();
        for (Pair p : pairs) {
            try (ConnectionPair c = ConnectionPair.open(p.first)) {
                c.target().setAutoCommit(true);
                for (TableDefinition t : SchemaCopy.currentSequences(c.source(), p.copied.tables())) {
                    AfterLoad.sequences(c.target(), t, p.copied.names().of(t.source()), atEnd);
                }
            }
        }
        return report + "; at the end: " + atEnd;
    }

    private static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
