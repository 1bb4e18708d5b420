package io.etlpool.etl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One row moving through a job: column names and values, immutable.
 *
 * <p>Values from a PostgreSQL source, as a {@link RowTransform} sees them: {@code smallint} and
 * {@code integer} as Integer, {@code bigint} as Long, {@code real} as Float, {@code double precision} as
 * Double, {@code numeric} as BigDecimal, {@code boolean} as Boolean, {@code text}, {@code varchar} and
 * {@code char(n)} as String, {@code bytea} as byte[], {@code uuid} as UUID, {@code date} as LocalDate,
 * {@code time} as LocalTime, {@code timetz} as OffsetTime, {@code timestamp} as LocalDateTime and
 * {@code timestamptz} as OffsetDateTime (infinity as the type's MAX, -infinity as its MIN). Every other
 * type (interval, json, jsonb, xml, bit strings, network addresses, money, ranges, arrays, enums,
 * composites, extension types, and numeric NaN and ±Infinity, timetz 24:00) is a
 * {@link org.postgresql.util.PGobject}: the source type's name and the value as the server's output
 * function wrote it, which the target's input function reads back exactly. A transform may return any
 * of these classes (and Instant, BigInteger, Short); a PGobject it makes holds the PostgreSQL text form of
 * the value for the target column.
 */
public final class Record {

    private final List<String> columns;
    private final Map<String, Integer> index;
    private final Object[] values;

    private Record(List<String> columns, Map<String, Integer> index, Object[] values) {
        this.columns = columns;
        this.index = index;
        this.values = values;
    }

    /** A record with these columns and values (as many values as columns). */
    public static Record of(List<String> columns, Object... values) {
        if (columns.size() != values.length) {
            throw new IllegalArgumentException(columns.size() + " columns but " + values.length + " values");
        }
        List<String> cols = Collections.unmodifiableList(new ArrayList<>(columns));
        return new Record(cols, indexOf(cols), values.clone());
    }

    /** A column layout to build many records with, sharing one column list and index. */
    public static Schema schema(List<String> columns) {
        List<String> cols = Collections.unmodifiableList(new ArrayList<>(columns));
        return new Schema(cols, indexOf(cols));
    }

    /** Columns shared by many records: building a record through it copies nothing. */
    public static final class Schema {
        private final List<String> columns;
        private final Map<String, Integer> index;

        private Schema(List<String> columns, Map<String, Integer> index) {
            this.columns = columns;
            this.index = index;
        }

        /** The column names, in order. */
        public List<String> columns() {
            return columns;
        }

        /** A record of these columns; the array becomes the record's (do not change it afterwards). */
        public Record record(Object[] values) {
            if (values.length != columns.size()) {
                throw new IllegalArgumentException(columns.size() + " columns but " + values.length + " values");
            }
            return new Record(columns, index, values);
        }
    }

    static Map<String, Integer> indexOf(List<String> columns) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            m.putIfAbsent(columns.get(i).toLowerCase(Locale.ROOT), i);
        }
        return Collections.unmodifiableMap(m);
    }

    /** The column names, in order. */
    public List<String> columns() {
        return columns;
    }

    /** The number of values. */
    public int size() {
        return values.length;
    }

    /** The value of a column (case-insensitive name). */
    public Object get(String column) {
        return values[position(column)];
    }

    /** The value at a 0-based position. */
    public Object get(int position) {
        return values[position];
    }

    /** A copy with the column set to the value: replaced if present, added at the end if not. */
    public Record with(String column, Object value) {
        Integer i = index.get(column.toLowerCase(Locale.ROOT));
        if (i != null) {
            Object[] v = values.clone();
            v[i] = value;
            return new Record(columns, index, v);
        }
        List<String> cols = new ArrayList<>(columns);
        cols.add(column);
        Object[] v = Arrays.copyOf(values, values.length + 1);
        v[values.length] = value;
        return of(cols, v);
    }

    /** A copy without the column. */
    public Record without(String column) {
        int drop = position(column);
        List<String> cols = new ArrayList<>(columns);
        cols.remove(drop);
        Object[] v = new Object[values.length - 1];
        System.arraycopy(values, 0, v, 0, drop);
        System.arraycopy(values, drop + 1, v, drop, values.length - drop - 1);
        return of(cols, v);
    }

    /** The values in column order, as a new array. */
    public Object[] toArray() {
        return values.clone();
    }

    private int position(String column) {
        Integer i = index.get(column.toLowerCase(Locale.ROOT));
        if (i == null) {
            throw new IllegalArgumentException("no column '" + column + "'; columns: " + columns);
        }
        return i;
    }

    /** Column names only: row values never go into messages or logs. */
    @Override
    public String toString() {
        return "Record" + columns;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record && columns.equals(((Record) o).columns) && Arrays.equals(values, ((Record) o).values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(columns, Arrays.hashCode(values));
    }
}
