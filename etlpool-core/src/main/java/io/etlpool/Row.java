package io.etlpool;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One row of a {@link EtlPool#query} result, fully read: values by column label or by 0-based index. */
public final class Row {

    private final List<String> columns;
    private final Map<String, Integer> index;
    private final Object[] values;

    Row(List<String> columns, Map<String, Integer> index, Object[] values) {
        this.columns = columns;
        this.index = index;
        this.values = values;
    }

    /** The column labels, in query order. */
    public List<String> columns() {
        return columns;
    }

    /** The number of columns. */
    public int size() {
        return values.length;
    }

    /** The value of the column with this label (case-insensitive), as the driver returned it. */
    public Object get(String column) {
        Integer i = index.get(column.toLowerCase(java.util.Locale.ROOT));
        if (i == null) {
            throw new IllegalArgumentException("no column '" + column + "' in this row; columns: " + columns);
        }
        return values[i];
    }

    /** The value at a 0-based position. */
    public Object get(int position) {
        if (position < 0 || position >= values.length) {
            throw new IndexOutOfBoundsException("position " + position + " is not in 0.." + (values.length - 1));
        }
        return values[position];
    }

    /** The value converted to the type: numbers to any numeric box type, anything to String. */
    public <T> T get(String column, Class<T> type) {
        return convert(get(column), type, column);
    }

    /** The column's value as a string (null for SQL NULL); the name is case-insensitive. */
    public String getString(String column) {
        return get(column, String.class);
    }

    /** The column's value as a Long (null for SQL NULL); the name is case-insensitive. */
    public Long getLong(String column) {
        return get(column, Long.class);
    }

    /** The column's value as an Integer (null for SQL NULL); the name is case-insensitive. */
    public Integer getInt(String column) {
        return get(column, Integer.class);
    }

    /** The row as an ordered map from column label to value. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            m.put(columns.get(i), values[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    private static <T> T convert(Object value, Class<T> type, String column) {
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        if (type == String.class) {
            return type.cast(value.toString());
        }
        if (value instanceof Number) {
            Number n = (Number) value;
            if (type == Long.class) {
                return type.cast(n.longValue());
            }
            if (type == Integer.class) {
                return type.cast(Math.toIntExact(n.longValue()));
            }
            if (type == Double.class) {
                return type.cast(n.doubleValue());
            }
            if (type == java.math.BigDecimal.class) {
                return type.cast(new java.math.BigDecimal(n.toString()));
            }
        }
        throw new ClassCastException("column '" + column + "' holds a " + value.getClass().getName()
                + ", which does not convert to " + type.getName());
    }

    @Override
    public String toString() {
        return "Row" + asMap();
    }
}
