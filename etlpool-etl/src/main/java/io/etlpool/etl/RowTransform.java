package io.etlpool.etl;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Turns one source row into zero, one or several target rows. Every row a job writes must have the
 * same columns.
 */
@FunctionalInterface
public interface RowTransform {

    /** The records to load for one source record: none drops it, several split it. */
    List<Record> apply(Record source);

    /** Every row as it is. */
    static RowTransform identity() {
        return List::of;
    }

    /** One row out for each row in. */
    static RowTransform map(Function<Record, Record> f) {
        return r -> List.of(f.apply(r));
    }

    /** Only the rows that pass. */
    static RowTransform filter(Predicate<Record> keep) {
        return r -> keep.test(r) ? List.of(r) : List.of();
    }
}
