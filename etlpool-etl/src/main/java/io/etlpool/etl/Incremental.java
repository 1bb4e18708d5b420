package io.etlpool.etl;

import java.time.Duration;
import java.util.Objects;

/**
 * How a job loads incrementally: each run loads the source rows whose cursor lies past the job's
 * watermark, and the watermark advances only once every row of the run's interval is committed.
 *
 * <pre>{@code
 * EtlJob.builder("orders")
 *         .source(shop, "SELECT * FROM orders")
 *         .target(warehouse, "orders").mode(LoadMode.UPSERT).key("id")
 *         .incremental(Incremental.cursor("updated_at").softDelete("deleted"))
 *         .build();
 * }</pre>
 *
 * The cursor is a NOT NULL integer, date or timestamp column of the source query that every write sets
 * anew: a timestamp from the writing transaction ({@code now()}, {@code clock_timestamp()}, e.g. by a
 * trigger), or a value from a sequence. On a PostgreSQL source each run's upper bound stays below what any
 * transaction still in progress could commit, so a late commit is loaded by a later run, never skipped
 * (docs/ARCHITECTURE.md, "Incremental loads", has the argument and its conditions). An immutable value.
 */
public final class Incremental {

    private final String cursor;
    private final Duration lookback;
    private final String softDelete;

    private Incremental(String cursor, Duration lookback, String softDelete) {
        this.cursor = cursor;
        this.lookback = lookback;
        this.softDelete = softDelete;
    }

    /** Loads by this column of the source query (a name as SQL reads it). */
    public static Incremental cursor(String column) {
        return new Incremental(Objects.requireNonNull(column, "column"), Duration.ZERO, null);
    }

    /**
     * Each run reads again the rows whose cursor lies up to this long below the watermark (default zero);
     * needs mode UPSERT, which merges the rows read twice by key. For a source other than PostgreSQL, whose
     * transactions in progress etlpool cannot see, it is required: the longest a transaction there may take
     * between writing a cursor value and committing. Timestamp and date cursors only.
     */
    public Incremental lookback(Duration lookback) {
        Objects.requireNonNull(lookback, "lookback");
        if (lookback.isNegative()) {
            throw new IllegalArgumentException("lookback (" + lookback + ") must not be negative");
        }
        return new Incremental(cursor, lookback, softDelete);
    }

    /**
     * A column of the target that marks deleted rows: boolean (true marks), or any other type (a value that
     * is not NULL marks, e.g. a {@code deleted_at} timestamp). Needs mode UPSERT: marked rows are upserted like
     * the others, and removed from the target in the transaction that advances the watermark.
     */
    public Incremental softDelete(String column) {
        return new Incremental(cursor, lookback, Objects.requireNonNull(column, "column"));
    }

    /** The cursor column. */
    public String cursor() {
        return cursor;
    }

    /** How far below the watermark each run reads again (zero: not at all). */
    public Duration lookback() {
        return lookback;
    }

    /** The target column that marks deleted rows, or null. */
    public String softDelete() {
        return softDelete;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Incremental && ((Incremental) o).cursor.equals(cursor)
                && ((Incremental) o).lookback.equals(lookback) && Objects.equals(((Incremental) o).softDelete, softDelete);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cursor, lookback, softDelete);
    }

    @Override
    public String toString() {
        return "incremental by " + cursor + (lookback.isZero() ? "" : ", lookback " + lookback)
                + (softDelete == null ? "" : ", soft delete " + softDelete);
    }
}
