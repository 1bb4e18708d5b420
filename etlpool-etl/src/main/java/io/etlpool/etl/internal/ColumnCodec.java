package io.etlpool.etl.internal;

import org.postgresql.util.PGobject;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.Locale;
import java.util.Set;

/**
 * How one source column's values travel, chosen from the column's type. Types with an exact encoder
 * (integers, floats, numeric, boolean, text, bytea, dates and times, uuid) are read as natural Java
 * values; every other type (intervals, json, xml, bit strings, network addresses, money, ranges, arrays,
 * enums, composites, extension types such as hstore and citext, and whatever comes next) travels as the
 * server's own text form of the value, produced by the source's output function and read by the target's
 * input function, as a {@link PGobject} whose type is the source type's name. Nothing goes through a Java
 * {@code toString()}.
 */
final class ColumnCodec {

    /** PostgreSQL types read as Java values; the text form carries every other type. */
    private static final Set<String> NATURAL = Set.of("int2", "int4", "int8", "float4", "float8", "numeric", "bool",
            "text", "varchar", "bpchar", "bytea", "date", "time", "timetz", "timestamp", "timestamptz", "uuid");

    final String typeName;
    final boolean textForm;
    final Extraction.Reader reader;

    private ColumnCodec(String typeName, boolean textForm, Extraction.Reader reader) {
        this.typeName = typeName;
        this.textForm = textForm;
        this.reader = reader;
    }

    /** The codec of a PostgreSQL column, by the type name the driver reports. */
    static ColumnCodec postgres(String typeName) {
        String t = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        if (!NATURAL.contains(t)) {
            return new ColumnCodec(typeName, true, text(typeName));
        }
        switch (t) {
            case "numeric":
                return new ColumnCodec(typeName, false, ColumnCodec::numeric);
            case "timestamptz":
                return new ColumnCodec(typeName, false, (rs, c) -> rs.getObject(c, OffsetDateTime.class));
            case "timestamp":
                return new ColumnCodec(typeName, false, (rs, c) -> rs.getObject(c, LocalDateTime.class));
            case "date":
                return new ColumnCodec(typeName, false, (rs, c) -> rs.getObject(c, LocalDate.class));
            case "time":
                return new ColumnCodec(typeName, false, (rs, c) -> rs.getObject(c, LocalTime.class));
            case "timetz":
                return new ColumnCodec(typeName, false, ColumnCodec::timeWithZone);
            default:
                return new ColumnCodec(typeName, false, ResultSet::getObject);
        }
    }

    /**
     * The codec of a column of another database (H2, ...): standard JDBC types as Java values, anything
     * else as the driver's text form, which the target's input function reads.
     */
    static ColumnCodec generic(String typeName, int jdbcType) {
        switch (jdbcType) {
            case Types.TIMESTAMP_WITH_TIMEZONE:
                return new ColumnCodec(typeName, false, (rs, c) -> rs.getObject(c, OffsetDateTime.class));
            case Types.TIMESTAMP:
                return new ColumnCodec(typeName, false, (rs, c) -> rs.getObject(c, LocalDateTime.class));
            case Types.DATE:
                return new ColumnCodec(typeName, false, (rs, c) -> rs.getObject(c, LocalDate.class));
            case Types.TIME:
                return new ColumnCodec(typeName, false, (rs, c) -> rs.getObject(c, LocalTime.class));
            case Types.TIME_WITH_TIMEZONE:
                return new ColumnCodec(typeName, false, (rs, c) -> rs.getObject(c, OffsetTime.class));
            case Types.BINARY:
            case Types.VARBINARY:
            case Types.LONGVARBINARY:
            case Types.BLOB:
                return new ColumnCodec(typeName, false, ResultSet::getBytes);
            case Types.CHAR:
            case Types.VARCHAR:
            case Types.LONGVARCHAR:
            case Types.NCHAR:
            case Types.NVARCHAR:
            case Types.LONGNVARCHAR:
            case Types.CLOB:
            case Types.NCLOB:
                return new ColumnCodec(typeName, false, ResultSet::getString);
            case Types.TINYINT:
            case Types.SMALLINT:
            case Types.INTEGER:
            case Types.BIGINT:
            case Types.REAL:
            case Types.FLOAT:
            case Types.DOUBLE:
            case Types.DECIMAL:
            case Types.NUMERIC:
            case Types.BOOLEAN:
            case Types.BIT:
                return new ColumnCodec(typeName, false, ResultSet::getObject);
            default:
                return new ColumnCodec(typeName, true, text(typeName));
        }
    }

    /** A value in the server's text form, typed with its source type's name. */
    static PGobject textValue(String typeName, String text) throws SQLException {
        PGobject v = new PGobject();
        v.setType(typeName);
        v.setValue(text);
        return v;
    }

    private static Extraction.Reader text(String typeName) {
        return (rs, c) -> {
            String s = rs.getString(c);
            return s == null ? null : textValue(typeName, s);
        };
    }

    /**
     * A numeric as a BigDecimal (the driver's own parse, which needs no String); NaN and ±Infinity, which
     * no BigDecimal holds (the driver gives a Double or refuses), as the server's text of them.
     */
    private static Object numeric(ResultSet rs, int column) throws SQLException {
        Object v;
        try {
            v = rs.getObject(column);
        } catch (SQLException e) {
            String text = rs.getString(column);
            if (text != null && (text.endsWith("Infinity") || text.equals("NaN"))) {
                return textValue("numeric", text);
            }
            throw e;
        }
        return v == null || v instanceof BigDecimal ? v : textValue("numeric", rs.getString(column));
    }

    /**
     * A timetz as an OffsetTime (plain getObject gives a java.sql.Time, which drops the offset and the
     * fraction). PgJDBC reads 24:00:00, whatever its offset, as OffsetTime.MAX, which no OffsetTime can
     * correct; that value travels as the server's own text.
     */
    private static Object timeWithZone(ResultSet rs, int column) throws SQLException {
        OffsetTime t = rs.getObject(column, OffsetTime.class);
        return OffsetTime.MAX.equals(t) ? textValue("timetz", rs.getString(column)) : t;
    }
}
