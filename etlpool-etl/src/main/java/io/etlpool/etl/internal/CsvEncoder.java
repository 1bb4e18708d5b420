package io.etlpool.etl.internal;

import org.postgresql.util.PGobject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.Arrays;
import java.util.UUID;

/**
 * Rows as PostgreSQL COPY CSV, encoded straight into a reusable byte buffer: NULL is an empty field, text
 * is always quoted (so an empty string stays an empty string and a lone {@code \.} is never read as the
 * end of data), numbers, booleans and times go unquoted (their text never holds a comma, quote or line
 * break), bytes as {@code \x} hex, times in ISO form with their offset, BC dates with PostgreSQL's era
 * suffix, PgJDBC's stand-ins for infinity as {@code infinity}, and a {@link PGobject} (a value in the
 * server's own text form) quoted as given. A value of any other class is refused, never written as its
 * Java {@code toString()}.
 *
 * <p>This is the hot loop of a COPY load: a profile of the 1M-row benchmark put a third of the job's
 * samples in the encoder when it built a String per row and copied it into a stream.
 */
final class CsvEncoder {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf;
    private int length;

    CsvEncoder(int initialCapacity) {
        this.buf = new byte[initialCapacity];
    }

    /** Appends one row and its line end. */
    void row(Object[] values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                put((byte) ',');
            }
            Object v = values[i];
            if (v != null) {
                value(v);
            }
        }
        put((byte) '\n');
    }

    byte[] buffer() {
        return buf;
    }

    int length() {
        return length;
    }

    void reset() {
        length = 0;
    }

    private void value(Object v) {
        if (v instanceof String) {
            quoted(((String) v).getBytes(StandardCharsets.UTF_8));
        } else if (v instanceof PGobject) {
            // a value in the server's text form: the target's input function reads it as given
            String text = ((PGobject) v).getValue();
            if (text != null) {
                quoted(text.getBytes(StandardCharsets.UTF_8));
            }
        } else {
            plain(v);
        }
    }

    /** The text form of a value that is not text: needs no CSV quotes (no comma, quote or line break). */
    private void plain(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            digits(((Number) v).longValue());
        } else if (v instanceof OffsetDateTime) {
            OffsetDateTime t = (OffsetDateTime) v;
            if (!infinity(t.equals(OffsetDateTime.MAX), t.equals(OffsetDateTime.MIN))) {
                boolean bc = date(t.getYear(), t.getMonthValue(), t.getDayOfMonth());
                time(t.toLocalTime());
                offset(t.getOffset().getTotalSeconds());
                era(bc);
            }
        } else if (v instanceof LocalDateTime) {
            LocalDateTime t = (LocalDateTime) v;
            if (!infinity(t.equals(LocalDateTime.MAX), t.equals(LocalDateTime.MIN))) {
                boolean bc = date(t.getYear(), t.getMonthValue(), t.getDayOfMonth());
                time(t.toLocalTime());
                era(bc);
            }
        } else if (v instanceof LocalDate) {
            LocalDate d = (LocalDate) v;
            if (!infinity(d.equals(LocalDate.MAX), d.equals(LocalDate.MIN))) {
                era(date(d.getYear(), d.getMonthValue(), d.getDayOfMonth()));
            }
        } else if (v instanceof BigDecimal || v instanceof BigInteger || v instanceof Double || v instanceof Float
                || v instanceof LocalTime || v instanceof OffsetTime || v instanceof Instant || v instanceof UUID) {
            ascii(v.toString()); // digits, signs, '.', 'E', ':', '-', '+', 'T', 'Z', NaN, Infinity, hex
        } else if (v instanceof Boolean) {
            put((Boolean) v ? (byte) 't' : (byte) 'f');
        } else if (v instanceof byte[]) {
            hex((byte[]) v);
        } else {
            throw new IllegalArgumentException("a value of class " + v.getClass().getName() + " has no exact text "
                    + "form for PostgreSQL; a transform may produce String, Integer, Long, Short, BigDecimal, "
                    + "BigInteger, Double, Float, Boolean, byte[], UUID, LocalDate, LocalTime, LocalDateTime, "
                    + "OffsetTime, OffsetDateTime, Instant, or a PGobject holding the value's PostgreSQL text form");
        }
    }

    /**
     * The value's PostgreSQL text form, as COPY gets it, without CSV quoting (bytea as {@code \x} hex,
     * times in ISO form): what the target's input function reads back to the same value.
     */
    static String text(Object v) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        if (v instanceof PGobject) {
            return ((PGobject) v).getValue();
        }
        CsvEncoder e = new CsvEncoder(32);
        e.plain(v);
        return new String(e.buf, 0, e.length, StandardCharsets.UTF_8);
    }

    private void quoted(byte[] text) {
        ensure(text.length * 2 + 2);
        buf[length++] = '"';
        int quote = indexOfQuote(text);
        if (quote < 0) {
            System.arraycopy(text, 0, buf, length, text.length);
            length += text.length;
        } else {
            // '"' (0x22) never occurs inside a multi-byte UTF-8 sequence, so a byte scan is exact
            System.arraycopy(text, 0, buf, length, quote);
            length += quote;
            for (int i = quote; i < text.length; i++) {
                if (text[i] == '"') {
                    buf[length++] = '"';
                }
                buf[length++] = text[i];
            }
        }
        buf[length++] = '"';
    }

    private static int indexOfQuote(byte[] text) {
        for (int i = 0; i < text.length; i++) {
            if (text[i] == '"') {
                return i;
            }
        }
        return -1;
    }

    /** PgJDBC reads PostgreSQL's infinity and -infinity as the Java type's MAX and MIN. */
    private boolean infinity(boolean max, boolean min) {
        if (max || min) {
            ascii(max ? "infinity" : "-infinity");
            return true;
        }
        return false;
    }

    /**
     * Writes yyyy-MM-dd; returns whether the year is before Christ. Java counts 1 BC as year 0 and
     * PostgreSQL writes it as "0001 ... BC", so such a year goes out as 1 - year with the era appended.
     */
    private boolean date(int year, int month, int day) {
        boolean bc = year <= 0;
        int y = bc ? 1 - year : year;
        int width = Math.max(4, digitCount(y));
        ensure(width + 6);
        pad(y, width);
        buf[length++] = '-';
        pad(month, 2);
        buf[length++] = '-';
        pad(day, 2);
        return bc;
    }

    /** Writes THH:mm:ss[.fraction], the fraction without trailing zeros. */
    private void time(LocalTime t) {
        ensure(19);
        buf[length++] = 'T';
        pad(t.getHour(), 2);
        buf[length++] = ':';
        pad(t.getMinute(), 2);
        buf[length++] = ':';
        pad(t.getSecond(), 2);
        int nanos = t.getNano();
        if (nanos != 0) {
            buf[length++] = '.';
            int digits = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                digits--;
            }
            pad(nanos, digits);
        }
    }

    private void era(boolean bc) {
        if (bc) {
            ascii(" BC");
        }
    }

    /** Writes a UTC offset as +HH:MM or +HH:MM:SS. */
    private void offset(int totalSeconds) {
        ensure(9);
        buf[length++] = totalSeconds < 0 ? (byte) '-' : (byte) '+';
        int abs = Math.abs(totalSeconds);
        pad(abs / 3600, 2);
        buf[length++] = ':';
        pad(abs / 60 % 60, 2);
        if (abs % 60 != 0) {
            buf[length++] = ':';
            pad(abs % 60, 2);
        }
    }

    /** Writes a non-negative value in exactly {@code width} digits, zero-padded (the caller ensured room). */
    private void pad(long value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            buf[length + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += width;
    }

    private void digits(long value) {
        if (value == Long.MIN_VALUE) {
            ascii(Long.toString(value));
            return;
        }
        ensure(20);
        if (value < 0) {
            buf[length++] = '-';
            value = -value;
        }
        pad(value, digitCount(value));
    }

    private static int digitCount(long nonNegative) {
        int count = 1;
        for (long rest = nonNegative / 10; rest != 0; rest /= 10) {
            count++;
        }
        return count;
    }

    private void ascii(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[length++] = (byte) text.charAt(i);
        }
    }

    private void hex(byte[] bytes) {
        ensure(2 + bytes.length * 2);
        buf[length++] = '\\';
        buf[length++] = 'x';
        for (byte b : bytes) {
            buf[length++] = HEX[(b >> 4) & 0xf];
            buf[length++] = HEX[b & 0xf];
        }
    }

    private void put(byte b) {
        ensure(1);
        buf[length++] = b;
    }

    private void ensure(int more) {
        if (length + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
        }
    }
}
