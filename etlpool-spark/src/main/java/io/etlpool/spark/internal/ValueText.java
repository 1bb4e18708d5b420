package io.etlpool.spark.internal;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * A Spark value as PostgreSQL's text input reads it, so that the server converts it into the target
 * column's type (an int8 value into an int4 column that holds it, a string into jsonb or uuid) and refuses
 * what does not fit, instead of a cast on the Spark side. Numbers keep every digit (a double's shortest
 * exact form, a decimal's plain form); a timestamp is written in UTC with its offset, a timestamp without
 * time zone as it is. Types without a text form here (arrays, maps, structs, intervals) are refused when the
 * write is planned.
 */
final class ValueText {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS'+00'");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
    private static final HexFormat HEX = HexFormat.of();

    /** Reads one column of a row as text; never called for a NULL. */
    interface Reader {
        String text(InternalRow row, int ordinal);
    }

    private ValueText() {
    }

    /** The reader of a column of this type; refuses a type without a text form, naming the column. */
    static Reader of(String column, DataType type) {
        if (type instanceof BooleanType) {
            return (r, i) -> r.getBoolean(i) ? "t" : "f";
        }
        if (type instanceof ByteType) {
            return (r, i) -> Byte.toString(r.getByte(i));
        }
        if (type instanceof ShortType) {
            return (r, i) -> Short.toString(r.getShort(i));
        }
        if (type instanceof IntegerType) {
            return (r, i) -> Integer.toString(r.getInt(i));
        }
        if (type instanceof LongType) {
            return (r, i) -> Long.toString(r.getLong(i));
        }
        if (type instanceof FloatType) {
            return (r, i) -> Float.toString(r.getFloat(i));
        }
        if (type instanceof DoubleType) {
            return (r, i) -> Double.toString(r.getDouble(i));
        }
        if (type instanceof DecimalType d) {
            int precision = d.precision();
            int scale = d.scale();
            return (r, i) -> r.getDecimal(i, precision, scale).toJavaBigDecimal().toPlainString();
        }
        if (type instanceof StringType) {
            return (r, i) -> r.getUTF8String(i).toString();
        }
        if (type instanceof BinaryType) {
            return (r, i) -> "\\x" + HEX.formatHex(r.getBinary(i));
        }
        if (type instanceof DateType) {
            return (r, i) -> inRange(column, LocalDate.ofEpochDay(r.getInt(i))).toString();
        }
        if (type instanceof TimestampType) {
            return (r, i) -> UTC.format(inRange(column, micros(r.getLong(i))));
        }
        if (type instanceof TimestampNTZType) {
            return (r, i) -> LOCAL.format(inRange(column, micros(r.getLong(i))));
        }
        if (type instanceof NullType) {
            return (r, i) -> null;
        }
        throw new IllegalArgumentException("format(\"etlpool\"): column '" + column + "' is of type "
                + type.simpleString() + ", which the writer cannot send exactly; convert it first, e.g. to_json("
                + column + ") for a struct, map or array, or cast it to string");
    }

    private static LocalDateTime micros(long micros) {
        long seconds = Math.floorDiv(micros, 1_000_000L);
        int nanos = (int) Math.floorMod(micros, 1_000_000L) * 1000;
        return LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC);
    }

    /** Years outside 1..9999 have another text form in PostgreSQL (BC, five digits): refused, not guessed. */
    private static <T extends java.time.temporal.TemporalAccessor> T inRange(String column, T value) {
        int year = value.get(java.time.temporal.ChronoField.YEAR);
        if (year < 1 || year > 9999) {
            throw new IllegalArgumentException("column '" + column + "' holds " + value + ", outside the years"
                    + " 1-9999 that the writer sends; filter or convert such values first");
        }
        return value;
    }
}
