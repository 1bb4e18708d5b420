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
            return ((LocalDate) v).toEpochDay();
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
            return ChronoUnit.MICROS.between(Instant.EPOCH, ((LocalDateTime) v).toInstant(ZoneOffset.UTC));
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
            return ChronoUnit.MICROS.between(Instant.EPOCH, ((OffsetDateTime) v).toInstant());
        }

        @Override
        Object fromLong(long v) {
            return OffsetDateTime.ofInstant(Instant.EPOCH.plus(v, ChronoUnit.MICROS), ZoneOffset.UTC);
        }

        @Override
        Object parse(String s) {
            return OffsetDateTime.parse(s);
        }
    };

    abstract Object read(ResultSet rs, int column) throws SQLException;

    abstract long toLong(Object value);

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
