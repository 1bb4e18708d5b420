package io.etlpool.etl.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The kinds of partition column: each maps its values to a long (so ranges can be cut evenly), to text
 * (so checkpoints can store them) and back.
 */
enum KeyType {
    INTEGER {
        @Override
        Object read(ResultSet rs, int i) throws SQLException {
            long v = rs.getLong(i);
            return rs.wasNull() ? null : v;
        }

        @Override
        long toLong(Object v) {
            return ((Number) v).longValue();
        }

        @Override
        int compare(Object a, Object b) {
            return Long.compare(((Number) a).longValue(), ((Number) b).longValue());
        }

        @Override
        Object fromLong(long v) {
            return v;
        }

        @Override
        Object parse(String s) {
            return Long.parseLong(s);
        }
    },
    DATE {
        @Override
        Object read(ResultSet rs, int i) throws SQLException {
            return rs.getObject(i, LocalDate.class);
        }

        @Override
        long toLong(Object v) {
            // infinity reads as LocalDate.MAX/MIN: cut within PostgreSQL's date range instead
            return Math.max(MIN_DAY, Math.min(MAX_DAY, ((LocalDate) v).toEpochDay()));
        }

        @Override
        int compare(Object a, Object b) {
            return ((LocalDate) a).compareTo((LocalDate) b);
        }

        @Override
        Object fromLong(long v) {
            return LocalDate.ofEpochDay(v);
        }

        @Override
        Object parse(String s) {
            return LocalDate.parse(s);
        }
    },
    TIMESTAMP {
        @Override
        Object read(ResultSet rs, int i) throws SQLException {
            return rs.getObject(i, LocalDateTime.class);
        }

        @Override
        long toLong(Object v) {
            return micros(((LocalDateTime) v).toInstant(ZoneOffset.UTC));
        }

        @Override
        int compare(Object a, Object b) {
            return ((LocalDateTime) a).compareTo((LocalDateTime) b);
        }

        @Override
        Object fromLong(long v) {
            return LocalDateTime.ofInstant(Instant.EPOCH.plus(v, ChronoUnit.MICROS), ZoneOffset.UTC);
        }

        @Override
        Object parse(String s) {
            return LocalDateTime.parse(s);
        }
    },
    TIMESTAMPTZ {
        @Override
        Object read(ResultSet rs, int i) throws SQLException {
            return rs.getObject(i, OffsetDateTime.class);
        }

        @Override
        long toLong(Object v) {
            return micros(((OffsetDateTime) v).toInstant());
        }

        /** By instant: 10:00+00 and 11:00+01 are the same key, as SQL's comparison says. */
        @Override
        int compare(Object a, Object b) {
            return ((OffsetDateTime) a).toInstant().compareTo(((OffsetDateTime) b).toInstant());
        }

        @Override
        Object fromLong(long v) {
            return OffsetDateTime.ofInstant(Instant.EPOCH.plus(v, ChronoUnit.MICROS), ZoneOffset.UTC);
        }

        @Override
        Object parse(String s) {
            return OffsetDateTime.parse(s);
        }
    },

    /** A heap row version's place (block ranges, {@link BlockRanges}): compared by block, then line pointer. */
    CTID {
        @Override
        Object read(ResultSet rs, int i) throws SQLException {
            String s = rs.getString(i);
            return s == null ? null : BlockRanges.Tid.parse(s);
        }

        @Override
        long toLong(Object v) {
            throw new UnsupportedOperationException("block ranges are cut by BlockRanges");
        }

        @Override
        int compare(Object a, Object b) {
            return ((BlockRanges.Tid) a).compareTo((BlockRanges.Tid) b);
        }

        @Override
        Object fromLong(long v) {
            throw new UnsupportedOperationException("block ranges are cut by BlockRanges");
        }

        @Override
        Object parse(String s) {
            return BlockRanges.Tid.parse(s);
        }
    };

    abstract Object read(ResultSet rs, int column) throws SQLException;

    /**
     * The value as a long for cutting ranges. Timestamps count microseconds and saturate: {@code infinity}
     * (read as the type's MAX) cuts like the largest representable instant instead of overflowing.
     */
    abstract long toLong(Object value);

    /**
     * Compares two keys by value, the way SQL's {@code <} and {@code =} do. Chunk boundaries and resume
     * positions are decided here and only here.
     */
    abstract int compare(Object a, Object b);

    /** The same key by value (for timestamptz: the same instant, whatever the offsets). */
    boolean same(Object a, Object b) {
        return a != null && b != null && compare(a, b) == 0;
    }

    /** PostgreSQL's first timestamp (4713 BC); the last one lies beyond Long.MAX_VALUE microseconds. */
    private static final Instant PG_FIRST = LocalDateTime.of(-4712, 11, 24, 0, 0).toInstant(ZoneOffset.UTC);
    private static final long MIN_DAY = LocalDate.of(-4712, 11, 24).toEpochDay();
    private static final long MAX_DAY = LocalDate.of(5874897, 12, 31).toEpochDay();

    /** Microseconds since the epoch, within what PostgreSQL can store (so cut points can be bound). */
    private static long micros(Instant i) {
        Instant at = i.isBefore(PG_FIRST) ? PG_FIRST : i;
        try {
            // not ChronoUnit.MICROS.between: it counts in nanoseconds and overflows beyond 292 years
            return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    abstract Object fromLong(long value);

    abstract Object parse(String text);

    String format(Object value) {
        return value.toString();
    }

    /** The kind of a column from its type name as the database reports it. */
    static KeyType of(String typeName, int jdbcType, String column) {
        String t = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        switch (jdbcType) {
            case java.sql.Types.TINYINT:
            case java.sql.Types.SMALLINT:
            case java.sql.Types.INTEGER:
            case java.sql.Types.BIGINT:
                return INTEGER;
            case java.sql.Types.DATE:
                return DATE;
            case java.sql.Types.TIMESTAMP_WITH_TIMEZONE:
                return TIMESTAMPTZ;
            case java.sql.Types.TIMESTAMP:
                return t.equals("timestamptz") || t.contains("with time zone") ? TIMESTAMPTZ : TIMESTAMP;
            default:
                throw new IllegalArgumentException("partition column '" + column + "' is of type " + typeName
                        + ": use an integer, date or timestamp column");
        }
    }
}
