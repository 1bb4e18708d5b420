package io.etlpool.etl.internal;

import org.postgresql.util.PGobject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * PostgreSQL's binary send/receive formats of the types a transform sees as Java values, decoded into
 * exactly the Java values the driver's text results give ({@link ColumnCodec}, the {@link io.etlpool.etl.Record}
 * javadoc) and encoded from them. An encoder takes only values whose binary form is the one the target's
 * input function would make of the COPY text the row path writes ({@link CsvEncoder}); for any other value
 * {@link Encoder#accepts} or {@link Encoder#write} says no and the chunk is written as COPY text instead, so
 * a value never changes.
 */
final class BinaryValues {

    /** PostgreSQL's epoch for dates and timestamps, 2000-01-01. */
    static final LocalDateTime PG_EPOCH = LocalDateTime.of(2000, 1, 1, 0, 0);
    static final long PG_EPOCH_DAY = PG_EPOCH.toLocalDate().toEpochDay();
    static final long PG_EPOCH_SECOND = PG_EPOCH.toEpochSecond(ZoneOffset.UTC);
    private static final long USECS_PER_DAY = 86_400_000_000L;
    /** The valid timestamps: 4714-11-24 BC 00:00 up to (not including) 294277-01-01, in microseconds since 2000. */
    private static final long MIN_TIMESTAMP = -211_813_488_000_000_000L;
    private static final long END_TIMESTAMP = 9_223_371_331_200_000_000L;
    /** The valid dates, in days since 2000-01-01. */
    private static final long MIN_DATE = -2_451_545L;
    private static final long END_DATE = 2_147_483_494L - 2_451_545L;
    /** timetz offsets must stay below 16 hours. */
    private static final int TZDISP_LIMIT = 16 * 3600;
    private static final BigInteger NBASE = BigInteger.valueOf(10_000);
    private static final int NUMERIC_POS = 0x0000;
    private static final int NUMERIC_NEG = 0x4000;
    private static final int NUMERIC_NAN = 0xC000;
    private static final int NUMERIC_PINF = 0xD000;
    private static final int NUMERIC_NINF = 0xF000;

    private BinaryValues() {
    }

    /** Reads one field's bytes into a Java value. */
    interface Decoder {
        Object decode(byte[] b, int off, int len) throws SQLException;
    }

    /** Writes Java values in a target column type's binary form. */
    interface Encoder {
        /**
         * A cheap test of a non-null value (its Java type, and checks as cheap), which a chunk passes for
         * every value before its COPY starts, so that a value of the wrong type never costs a COPY begun
         * and abandoned (rows sent, then rolled back: sequence values and dead tuples left in the target).
         * True promises nothing more: a value out of the type's range is found as it is encoded.
         */
        boolean accepts(Object v);

        /**
         * Whether {@link #accepts} takes every value of this class (a type test alone decides): a chunk then
         * tests a column's values by their class, without a call per value.
         */
        boolean acceptsAll(Class<?> type);

        /**
         * Writes the field (length and bytes) of null or of a value {@link #accepts} took, finishing its
         * check as it encodes it; false when its binary form would not be exactly what the COPY text of it
         * gives. After a false the sink may hold part of the field: the caller abandons the whole COPY.
         */
        boolean write(Object v, BinaryTuples.Sink out) throws SQLException;
    }

    /**
     * The decoder of a source column: its codec's natural type, or the server's text form (the column is
     * selected as {@code ::text}) as a PGobject of the source type's name, as {@link ColumnCodec} reads it.
     */
    static Decoder decoder(ColumnCodec codec) {
        String type = codec.typeName == null ? "" : codec.typeName.toLowerCase(Locale.ROOT);
        if (codec.textForm) {
            return (b, off, len) -> ColumnCodec.textValue(codec.typeName, utf8(b, off, len));
        }
        switch (type) {
            case "int2":
                return (b, off, len) -> (int) (short) be(b, off, 2);
            case "int4":
                return (b, off, len) -> (int) be(b, off, 4);
            case "int8":
                return (b, off, len) -> be(b, off, 8);
            case "float4":
                return (b, off, len) -> Float.intBitsToFloat((int) be(b, off, 4));
            case "float8":
                return (b, off, len) -> Double.longBitsToDouble(be(b, off, 8));
            case "bool":
                return (b, off, len) -> b[off] != 0;
            case "text":
            case "varchar":
            case "bpchar":
                return BinaryValues::utf8;
            case "bytea":
                return (b, off, len) -> java.util.Arrays.copyOfRange(b, off, off + len);
            case "uuid":
                return (b, off, len) -> new UUID(be(b, off, 8), be(b, off + 8, 8));
            case "date":
                return (b, off, len) -> BinaryTuples.decode(KeyType.DATE, (int) be(b, off, 4), 4);
            case "timestamp":
                return (b, off, len) -> BinaryTuples.decode(KeyType.TIMESTAMP, be(b, off, 8), 8);
            case "timestamptz":
                return (b, off, len) -> BinaryTuples.decode(KeyType.TIMESTAMPTZ, be(b, off, 8), 8);
            case "time":
                // the driver reads 24:00:00 as LocalTime.MAX
                return (b, off, len) -> {
                    long micros = be(b, off, 8);
                    return micros == USECS_PER_DAY ? LocalTime.MAX : LocalTime.ofNanoOfDay(micros * 1000);
                };
            case "timetz":
                return BinaryValues::timetz;
            case "numeric":
                return BinaryValues::numeric;
            default:
                throw new IllegalArgumentException("no binary decoder for " + codec.typeName);
        }
    }

    /** The encoder for a target column of this built-in type (pg_type.typname), or null when there is none. */
    static Encoder encoder(String typname, int serverVersion) {
        switch (typname) {
            case "int2":
                return integer(Short.MIN_VALUE, Short.MAX_VALUE, 2);
            case "int4":
                return integer(Integer.MIN_VALUE, Integer.MAX_VALUE, 4);
            case "int8":
                return integer(Long.MIN_VALUE, Long.MAX_VALUE, 8);
            case "float4":
                return of(v -> v instanceof Float, (v, out) -> out.field(Float.floatToIntBits((Float) v), 4), Float.class);
            case "float8":
                return of(v -> v instanceof Double, (v, out) -> out.field(Double.doubleToLongBits((Double) v), 8),
                        Double.class);
            case "bool":
                return of(v -> v instanceof Boolean, (v, out) -> out.field((Boolean) v ? 1 : 0, 1), Boolean.class);
            case "text":
            case "varchar":
            case "bpchar":
                return of(v -> v instanceof String, (v, out) -> bytes(out, ((String) v).getBytes(StandardCharsets.UTF_8)),
                        String.class);
            case "bytea":
                return of(v -> v instanceof byte[], (v, out) -> bytes(out, (byte[]) v), byte[].class);
            case "uuid":
                return of(v -> v instanceof UUID, (v, out) -> {
                    out.int32(16);
                    out.int64(((UUID) v).getMostSignificantBits());
                    out.int64(((UUID) v).getLeastSignificantBits());
                }, UUID.class);
            case "date":
                return exact(v -> v instanceof LocalDate,
                        (v, out) -> v instanceof LocalDate && field(dateDays((LocalDate) v), 4, out), LocalDate.class);
            case "timestamp": // a time below the microsecond is found as it is encoded (its COPY text rounds it)
                return exact(v -> v instanceof LocalDateTime,
                        (v, out) -> v instanceof LocalDateTime && field(timestamp((LocalDateTime) v), 8, out),
                        LocalDateTime.class);
            case "timestamptz":
                return exact(v -> v instanceof OffsetDateTime || v instanceof Instant,
                        (v, out) -> (v instanceof OffsetDateTime || v instanceof Instant) && field(timestamptz(v), 8, out),
                        OffsetDateTime.class, Instant.class);
            case "time":
                return of(v -> v instanceof LocalTime && (v.equals(LocalTime.MAX) || ((LocalTime) v).getNano() % 1000 == 0),
                        (v, out) -> out.field(v.equals(LocalTime.MAX) ? USECS_PER_DAY : ((LocalTime) v).toNanoOfDay() / 1000, 8));
            case "timetz":
                return of(BinaryValues::timetzFits, BinaryValues::writeTimetz);
            case "numeric":
                return exact(BinaryValues::numericType, (v, out) -> writeNumeric(v, serverVersion, out),
                        BigDecimal.class, BigInteger.class, Long.class, Integer.class, Short.class, Byte.class);
            case "_int2":
                return intArray(new IntArrayText(21, 2, Short.MIN_VALUE, Short.MAX_VALUE));
            case "_int4":
                return intArray(new IntArrayText(23, 4, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case "_int8":
                return intArray(new IntArrayText(20, 8, Long.MIN_VALUE, Long.MAX_VALUE));
            case "json":
                return of(BinaryValues::jsonText, (v, out) -> bytes(out, jsonBytes(v, 0)), String.class);
            case "jsonb":
                return of(BinaryValues::jsonText, (v, out) -> bytes(out, jsonBytes(v, 1)), String.class);
            default:
                return null;
        }
    }

    /**
     * The encoder of a column that travels by its text form into a {@code text} column of the stage: the
     * value's PostgreSQL text, exactly as COPY text would carry it ({@link CsvEncoder#text}).
     */
    static Encoder textForm() {
        return TEXT_FORM;
    }

    private static final Encoder TEXT_FORM = new Tested(v -> true, type -> true) {
        @Override
        public boolean write(Object v, BinaryTuples.Sink out) throws SQLException {
            String text = v == null ? null : CsvEncoder.text(v);
            if (text == null) {
                out.int32(-1); // null, or a PGobject without a value: NULL, as in COPY text
            } else {
                bytes(out, text.getBytes(StandardCharsets.UTF_8));
            }
            return true;
        }
    };

    private interface Fits {
        boolean test(Object v);
    }

    private interface Writer {
        void write(Object v, BinaryTuples.Sink out) throws SQLException;
    }

    /** A non-null value's check and encoding in one step (false: it does not fit). */
    private interface Exact {
        boolean write(Object v, BinaryTuples.Sink out) throws SQLException;
    }

    /** An encoder's cheap test ({@link Encoder#accepts}) and the classes it takes whole; subclasses write. */
    private abstract static class Tested implements Encoder {
        private final Fits fits;
        private final Predicate<Class<?>> whole;

        Tested(Fits fits, Predicate<Class<?>> whole) {
            this.fits = fits;
            this.whole = whole;
        }

        @Override
        public final boolean accepts(Object v) {
            return fits.test(v);
        }

        @Override
        public final boolean acceptsAll(Class<?> type) {
            return whole.test(type);
        }
    }

    /** An encoder whose whole check is cheap (a type test, a range): {@link Encoder#accepts}, then written. */
    private static Encoder of(Fits fits, Writer writer, Class<?>... all) {
        return new Tested(fits, List.of(all)::contains) {
            @Override
            public boolean write(Object v, BinaryTuples.Sink out) throws SQLException {
                if (v == null) {
                    out.int32(-1);
                } else {
                    writer.write(v, out);
                }
                return true;
            }
        };
    }

    /**
     * An encoder whose check is the encoding's own work (arithmetic, parsing), done once; {@code type} is
     * the cheap part of that check ({@link Encoder#accepts}).
     */
    private static Encoder exact(Fits type, Exact exact, Class<?>... all) {
        return new Tested(type, List.of(all)::contains) {
            @Override
            public boolean write(Object v, BinaryTuples.Sink out) throws SQLException {
                if (v == null) {
                    out.int32(-1);
                    return true;
                }
                return exact.write(v, out);
            }
        };
    }

    private static Encoder intArray(IntArrayText array) {
        return exact(v -> v instanceof String || v instanceof PGobject, array::write, String.class, PGobject.class);
    }

    /** The types {@link #writeNumeric} takes. */
    private static boolean numericType(Object v) {
        return v instanceof BigDecimal || v instanceof BigInteger || v instanceof Long || v instanceof Integer
                || v instanceof Short || v instanceof Byte || v instanceof PGobject;
    }

    /**
     * What {@link #dateDays}, {@link #timestamp} and {@link #timestamptz} give for a value they cannot carry
     * exactly: no date or timestamp PostgreSQL stores (a primitive, so that no value is boxed on the way).
     */
    private static final long NOT_EXACT = Long.MIN_VALUE + 1;

    /** A fixed-size field of this value; false (nothing written) for {@link #NOT_EXACT}. */
    private static boolean field(long v, int size, BinaryTuples.Sink out) throws SQLException {
        if (v == NOT_EXACT) {
            return false;
        }
        out.field(v, size);
        return true;
    }

    private static Encoder integer(long min, long max, int size) {
        // the classes whose every value is in the column's range
        Class<?>[] all = size == 8 ? new Class<?>[] {Long.class, Integer.class, Short.class, Byte.class}
                : size == 4 ? new Class<?>[] {Integer.class, Short.class, Byte.class}
                : new Class<?>[] {Short.class, Byte.class};
        return of(v -> (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)
                        && ((Number) v).longValue() >= min && ((Number) v).longValue() <= max,
                (v, out) -> out.field(((Number) v).longValue(), size), all);
    }

    // ---- decoding

    static long be(byte[] b, int off, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static String utf8(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.UTF_8);
    }

    /** timetz: microseconds of the day, then the zone in seconds west of UTC. 24:00, which the driver cannot hold, as text. */
    private static Object timetz(byte[] b, int off, int len) throws SQLException {
        long micros = be(b, off, 8);
        int west = (int) be(b, off + 8, 4);
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(-west);
        if (micros == USECS_PER_DAY) {
            return ColumnCodec.textValue("timetz", "24:00:00" + zoneText(-west));
        }
        return OffsetTime.of(LocalTime.ofNanoOfDay(micros * 1000), offset);
    }

    /** A zone as PostgreSQL writes it: +HH, +HH:MM or +HH:MM:SS. */
    private static String zoneText(int eastSeconds) {
        int abs = Math.abs(eastSeconds);
        StringBuilder s = new StringBuilder(eastSeconds < 0 ? "-" : "+")
                .append(String.format(Locale.ROOT, "%02d", abs / 3600));
        if (abs % 3600 != 0) {
            s.append(String.format(Locale.ROOT, ":%02d", abs / 60 % 60));
            if (abs % 60 != 0) {
                s.append(String.format(Locale.ROOT, ":%02d", abs % 60));
            }
        }
        return s.toString();
    }

    /** numeric: ndigits, weight, sign, dscale (int16 each), then ndigits base-10000 digits. */
    static Object numeric(byte[] b, int off, int len) throws SQLException {
        int ndigits = (int) be(b, off, 2);
        int weight = (short) be(b, off + 2, 2);
        int sign = (int) be(b, off + 4, 2);
        int dscale = (int) be(b, off + 6, 2);
        switch (sign) {
            case NUMERIC_NAN:
                return ColumnCodec.textValue("numeric", "NaN");
            case NUMERIC_PINF:
                return ColumnCodec.textValue("numeric", "Infinity");
            case NUMERIC_NINF:
                return ColumnCodec.textValue("numeric", "-Infinity");
            default:
                break;
        }
        // the digits stand for unscaled * 10000^(weight - ndigits + 1)
        int exponent4 = weight - ndigits + 1;
        BigDecimal v;
        if (ndigits <= 4) { // at most 16 decimal digits: a long holds them, no BigInteger arithmetic
            long unscaled = 0;
            for (int i = 0; i < ndigits; i++) {
                unscaled = unscaled * 10000 + be(b, off + 8 + 2 * i, 2);
            }
            v = BigDecimal.valueOf(unscaled, -4 * exponent4);
        } else {
            BigInteger unscaled = BigInteger.ZERO;
            for (int i = 0; i < ndigits; i++) {
                unscaled = unscaled.multiply(NBASE).add(BigInteger.valueOf(be(b, off + 8 + 2 * i, 2)));
            }
            v = new BigDecimal(unscaled, -4 * exponent4);
        }
        v = v.setScale(dscale, RoundingMode.UNNECESSARY);
        return sign == NUMERIC_NEG ? v.negate() : v;
    }

    // ---- encoding

    static void bytes(BinaryTuples.Sink out, byte[] bytes) throws SQLException {
        out.int32(bytes.length);
        for (int at = 0; at < bytes.length; ) {
            int n = out.room(bytes.length - at);
            System.arraycopy(bytes, at, out.buf, out.len, n);
            out.len += n;
            at += n;
        }
    }

    /** Days since 2000-01-01 (infinity as int32 max/min), or {@link #NOT_EXACT} outside PostgreSQL's dates. */
    private static long dateDays(LocalDate d) {
        if (d.equals(LocalDate.MAX)) {
            return Integer.MAX_VALUE;
        }
        if (d.equals(LocalDate.MIN)) {
            return Integer.MIN_VALUE;
        }
        long days = d.toEpochDay() - PG_EPOCH_DAY;
        return days >= MIN_DATE && days < END_DATE ? days : NOT_EXACT;
    }

    /**
     * Microseconds since 2000-01-01 00:00 (infinity as int64 max/min), or {@link #NOT_EXACT} when not exact
     * or out of range. MAX and MIN are the only values of their years that matter here, so the year is
     * compared first: equals on a LocalDateTime compares its six fields, and this runs once per value.
     */
    private static long timestamp(LocalDateTime t) {
        int year = t.getYear();
        if (year == Year.MAX_VALUE && t.equals(LocalDateTime.MAX)) {
            return Long.MAX_VALUE;
        }
        if (year == Year.MIN_VALUE && t.equals(LocalDateTime.MIN)) {
            return Long.MIN_VALUE;
        }
        return micros(t.toEpochSecond(ZoneOffset.UTC), t.getNano());
    }

    private static long timestamptz(Object v) {
        if (v instanceof OffsetDateTime) {
            OffsetDateTime t = (OffsetDateTime) v;
            int year = t.getYear();
            if (year == Year.MAX_VALUE && t.equals(OffsetDateTime.MAX)) {
                return Long.MAX_VALUE;
            }
            if (year == Year.MIN_VALUE && t.equals(OffsetDateTime.MIN)) {
                return Long.MIN_VALUE;
            }
            return micros(t.toEpochSecond(), t.getNano());
        }
        Instant i = (Instant) v;
        return micros(i.getEpochSecond(), i.getNano());
    }

    /** Whole microseconds only: the text path would round a finer fraction the server's way. */
    private static long micros(long epochSecond, int nano) {
        if (nano % 1000 != 0) {
            return NOT_EXACT;
        }
        long seconds = epochSecond - PG_EPOCH_SECOND;
        if (Math.abs(seconds) > 9_223_372_036_000L) {
            return NOT_EXACT;
        }
        long micros = seconds * 1_000_000L + nano / 1000;
        return micros >= MIN_TIMESTAMP && micros < END_TIMESTAMP ? micros : NOT_EXACT;
    }

    private static boolean timetzFits(Object v) {
        if (v instanceof OffsetTime) {
            OffsetTime t = (OffsetTime) v;
            return !t.equals(OffsetTime.MAX) && t.getNano() % 1000 == 0
                    && Math.abs(t.getOffset().getTotalSeconds()) < TZDISP_LIMIT;
        }
        return v instanceof PGobject && "timetz".equals(((PGobject) v).getType()) && timetz24((PGobject) v) != null;
    }

    /** The zone (seconds east) of the text form of 24:00 this class makes, or null for any other text. */
    private static Integer timetz24(PGobject v) {
        String s = v.getValue();
        if (s == null || !s.startsWith("24:00:00") || s.length() < 11) {
            return null;
        }
        String zone = s.substring(8);
        int sign = zone.charAt(0) == '-' ? -1 : zone.charAt(0) == '+' ? 1 : 0;
        String[] parts = zone.substring(1).split(":");
        if (sign == 0 || parts.length > 3) {
            return null;
        }
        int seconds = 0;
        int unit = 3600;
        for (String p : parts) {
            if (p.length() != 2 || !Character.isDigit(p.charAt(0)) || !Character.isDigit(p.charAt(1))) {
                return null;
            }
            seconds += Integer.parseInt(p) * unit;
            unit /= 60;
        }
        int east = sign * seconds;
        return zoneText(east).equals(zone) && Math.abs(east) < TZDISP_LIMIT ? east : null;
    }

    private static void writeTimetz(Object v, BinaryTuples.Sink out) throws SQLException {
        long micros;
        int east;
        if (v instanceof OffsetTime) {
            micros = ((OffsetTime) v).toLocalTime().toNanoOfDay() / 1000;
            east = ((OffsetTime) v).getOffset().getTotalSeconds();
        } else {
            micros = USECS_PER_DAY;
            east = timetz24((PGobject) v);
        }
        out.int32(12);
        out.int64(micros);
        out.int32(-east);
    }


    private static BigDecimal decimal(Object v) {
        if (v instanceof BigDecimal) {
            return (BigDecimal) v;
        }
        if (v instanceof BigInteger) {
            return new BigDecimal((BigInteger) v);
        }
        return BigDecimal.valueOf(((Number) v).longValue());
    }

    /**
     * A numeric: NaN (and from PostgreSQL 14 the infinities) as the PGobject the decoder makes, or a number
     * within what numeric_recv takes (display scale up to 16383, weight within int16); false for anything else.
     */
    private static boolean writeNumeric(Object v, int serverVersion, BinaryTuples.Sink out) throws SQLException {
        if (v instanceof PGobject) {
            String s = ((PGobject) v).getValue();
            boolean special = "numeric".equals(((PGobject) v).getType())
                    && ("NaN".equals(s) || (serverVersion >= 14 && ("Infinity".equals(s) || "-Infinity".equals(s))));
            if (!special) {
                return false;
            }
            int sign = "NaN".equals(s) ? NUMERIC_NAN : "Infinity".equals(s) ? NUMERIC_PINF : NUMERIC_NINF;
            out.int32(8);
            out.int16(0);
            out.int16(0);
            out.int16(sign);
            out.int16(0);
            return true;
        }
        if (!(v instanceof BigDecimal || v instanceof BigInteger || v instanceof Long || v instanceof Integer
                || v instanceof Short || v instanceof Byte)) {
            return false;
        }
        BigDecimal d = decimal(v);
        if (d.scale() > 0x3FFF) {
            return false;
        }
        // digits a long holds are always within numeric_recv's weight
        if (writeSmallNumeric(d, out)) {
            return true;
        }
        if ((long) d.precision() - d.scale() >= 4L * Short.MAX_VALUE) {
            return false;
        }
        writeNumericByDigits(d, out);
        return true;
    }

    private static final long[] POW10 = {1, 10, 100, 1000};

    /**
     * Writes a finite value whose base-10000 digits a long yields (see {@link #longDigits}), without a
     * detour through text: the same bytes as {@link #writeNumericByDigits}; false (nothing written) for
     * any other value.
     */
    static boolean writeSmallNumeric(BigDecimal d, BinaryTuples.Sink out) throws SQLException {
        short[] base = longDigits(d);
        if (base == null) {
            return false;
        }
        writeNumericDigits(d, base, out);
        return true;
    }

    /** Writes any finite value, its base-10000 digits cut from its digits as text. */
    static void writeNumericByDigits(BigDecimal d, BinaryTuples.Sink out) throws SQLException {
        writeNumericDigits(d, textDigits(d), out);
    }

    /**
     * The base-10000 digits (the highest first) of |d| with its fraction padded to whole base-10000
     * digits, for a non-negative scale and an unscaled value that fits in a long once padded; else null.
     */
    private static short[] longDigits(BigDecimal d) {
        int dscale = d.scale();
        BigInteger unscaled = d.unscaledValue();
        if (dscale < 0 || unscaled.bitLength() > 62) {
            return null;
        }
        long f = POW10[(dscale + 3) / 4 * 4 - dscale];
        long u = Math.abs(unscaled.longValue());
        if (u > Long.MAX_VALUE / f) {
            return null;
        }
        u *= f;
        int groups = 0;
        for (long rest = u; rest > 0; rest /= 10000) {
            groups++;
        }
        short[] base = new short[groups];
        for (int i = groups - 1; i >= 0; i--, u /= 10000) {
            base[i] = (short) (u % 10000);
        }
        return base;
    }

    /** The same digits as {@link #longDigits}, for any finite value, through its digits as text. */
    private static short[] textDigits(BigDecimal d) {
        int dscale = Math.max(0, d.scale());
        BigInteger unscaled = d.unscaledValue().abs();
        if (d.scale() < 0) {
            unscaled = unscaled.multiply(BigInteger.TEN.pow(-d.scale()));
        }
        // align the fraction to whole base-10000 digits: scale up to a multiple of 4
        unscaled = unscaled.multiply(BigInteger.TEN.pow((dscale + 3) / 4 * 4 - dscale));
        String digits = unscaled.toString();
        int groups = (digits.length() + 3) / 4;
        short[] base = new short[groups];
        String padded = "0".repeat(groups * 4 - digits.length()) + digits;
        for (int i = 0; i < groups; i++) {
            base[i] = Short.parseShort(padded.substring(4 * i, 4 * i + 4));
        }
        return base;
    }

    /** numeric's binary form of d from its base-10000 digits: leading and trailing zero digits left out. */
    private static void writeNumericDigits(BigDecimal d, short[] base, BinaryTuples.Sink out) throws SQLException {
        int dscale = Math.max(0, d.scale());
        int groups = base.length;
        int weight = groups - (dscale + 3) / 4 - 1;
        int first = 0;
        while (first < groups && base[first] == 0) {
            first++;
        }
        int last = groups - 1;
        while (last >= first && base[last] == 0) {
            last--;
        }
        int ndigits = last - first + 1;
        weight -= first;
        if (ndigits == 0) {
            weight = 0;
        }
        out.int32(8 + 2 * ndigits);
        out.int16(ndigits);
        out.int16(weight);
        out.int16(ndigits > 0 && d.signum() < 0 ? NUMERIC_NEG : NUMERIC_POS);
        out.int16(dscale);
        for (int i = first; i <= last; i++) {
            out.int16(base[i]);
        }
    }

    private static boolean jsonText(Object v) {
        return v instanceof String || (v instanceof PGobject && ((PGobject) v).getValue() != null
                && ("json".equals(((PGobject) v).getType()) || "jsonb".equals(((PGobject) v).getType())));
    }

    /** json's binary form is its text; jsonb's a version byte (1) and the text. */
    private static byte[] jsonBytes(Object v, int version) {
        String text = CsvEncoder.text(v);
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (version == 0) {
            return utf8;
        }
        byte[] out = new byte[utf8.length + 1];
        out[0] = (byte) version;
        System.arraycopy(utf8, 0, out, 1, utf8.length);
        return out;
    }
}
