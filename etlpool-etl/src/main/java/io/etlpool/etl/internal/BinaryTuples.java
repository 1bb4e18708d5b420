package io.etlpool.etl.internal;

import io.etlpool.etl.EtlException;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * PostgreSQL's binary COPY stream, framed by tuple and no further: a 19-byte header (signature, flags,
 * extension length), then per tuple an int16 field count and per field an int32 length (-1: NULL) and
 * that many bytes, then an int16 -1. Reads what a {@code COPY ... TO STDOUT (FORMAT binary)} sends, in
 * whatever pieces the driver hands over, and forwards tuples into a {@code COPY ... FROM STDIN (FORMAT
 * binary)} through one fixed buffer: no tuple is ever held whole, so a chunk costs the buffer whatever
 * its size. Only the first field of each tuple (the partition key) is decoded.
 *
 * <p>The relay ({@link #tuple}, {@link #sameKey}, {@link #forwardRest} or {@link #forwardWhole}) takes a
 * fast path when the whole tuple lies in the piece at hand, as it nearly always does (the server sends one
 * CopyData message per row): the field lengths are read in place, the key is kept as its raw integer
 * (compared, not decoded: see {@link #sameKey}) and the rest of the tuple (or all of it) goes into the
 * sink in one copy. A tuple split across
 * pieces takes the field-by-field path.
 */
final class BinaryTuples {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final long PG_EPOCH_SECOND = BinaryValues.PG_EPOCH_SECOND;
    private static final long PG_EPOCH_DAY = BinaryValues.PG_EPOCH_DAY;

    private final CopyOut in;
    private byte[] piece = new byte[0];
    private int at;
    /** The source said the COPY has no more data. */
    private boolean ended;
    private final byte[] scratch = new byte[8];
    /** The last field {@link #field()} read when it did not lie whole in one piece. */
    private byte[] field = new byte[256];
    private byte[] fieldArray = field;
    private int fieldOffset;

    // the relay's current tuple
    private int fields;
    /** Where the current tuple's data (after its key) starts and ends in {@link #piece}; -1: not framed there. */
    private int dataFrom = -1;
    private int dataTo;
    /** Where the current tuple (its field count) starts in {@link #piece}, when framed there. */
    private int tupleFrom;
    /** The current key's big-endian integer, sign-extended for int2 and int4 as {@link #decode} takes it. */
    private long keyBits;
    private int keyLength;
    /** The key of the tuple forwarded last, if any. */
    private long lastBits;
    private int lastLength;
    private boolean hasLast;
    /** The key length {@link #decode} last accepted (a date key must have 4 bytes), or -1. */
    private int checkedLength = -1;

    /** Starts reading a COPY out: checks and skips its header. */
    BinaryTuples(CopyOut in) throws SQLException {
        this.in = in;
        byte[] signature = new byte[SIGNATURE.length];
        read(signature, 0, signature.length);
        if (!java.util.Arrays.equals(signature, SIGNATURE)) {
            throw new EtlException("the source's binary COPY does not start with PostgreSQL's signature");
        }
        readInt(4); // flags: bit 16 (OIDs) is never set for COPY (SELECT ...)
        long extension = readInt(4);
        for (long i = 0; i < extension; i++) {
            readInt(1);
        }
    }

    /** The next tuple's field count, or -1 at the end of the data. */
    int next() throws SQLException {
        return (short) readInt(2);
    }

    /** Reads the tuple's first field as the partition key, decoded by its type. */
    Object key(KeyType type) throws SQLException {
        readKey();
        return decode(type, keyBits, keyLength);
    }

    /** Reads the tuple's first field into {@link #keyBits} and {@link #keyLength}, across pieces. */
    private void readKey() throws SQLException {
        int length = (int) readInt(4);
        checkKeyLength(length);
        read(scratch, 0, length);
        keyBits = keyBits(scratch, 0, length);
        keyLength = length;
    }

    private static void checkKeyLength(int length) throws EtlException {
        if (length < 0 || length > 8) {
            throw new EtlException("the source sent a partition key of " + length + " bytes in binary COPY; expected "
                    + "an integer, date or timestamp");
        }
    }

    /** A key's bytes as one integer: big-endian, sign-extended for int2 and int4. */
    private static long keyBits(byte[] b, int from, int length) {
        long v = 0;
        for (int i = 0; i < length; i++) {
            v = (v << 8) | (b[from + i] & 0xFF);
        }
        if (length == 2) {
            v = (short) v;
        } else if (length == 4) {
            v = (int) v;
        }
        return v;
    }

    /**
     * The relay's read: the next tuple's field count, or -1 at the end of the data; the tuple's key is read
     * (not decoded: {@link #sameKey}, {@link #currentKey}, {@link #lastKey}) and {@link #forwardRest} passes on the
     * rest. Checks the key has a length {@code type} can decode, as decoding every key would.
     */
    int tuple(KeyType type) throws SQLException {
        dataFrom = -1;
        if (!frame()) {
            fields = (short) readInt(2);
            if (fields < 0) {
                return -1;
            }
            readKey();
        } else if (fields < 0) {
            return -1;
        }
        if (keyLength != checkedLength) {
            decode(type, keyBits, keyLength); // throws for a length the type cannot have
            checkedLength = keyLength;
        }
        return fields;
    }

    /**
     * Frames the tuple at {@link #at} when it lies whole in the current piece: reads its field count, its
     * key and its fields' lengths in place, leaving {@link #at} where it was; false when it does not fit
     * (or is not a plain tuple), and then nothing was consumed.
     */
    private boolean frame() throws SQLException {
        if (at == piece.length && !nextPiece()) {
            return false;
        }
        byte[] b = piece;
        int end = b.length;
        int p = at;
        tupleFrom = p;
        if (end - p < 2) {
            return false;
        }
        int count = (short) (((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF));
        p += 2;
        if (count < 0) { // the trailer
            fields = count;
            at = p;
            return true;
        }
        if (count == 0 || end - p < 4) {
            return false;
        }
        int length = int32(b, p);
        p += 4;
        if (length < 0 || length > 8 || end - p < length) {
            return false; // a bad length fails on the field-by-field path, with its message
        }
        long bits = keyBits(b, p, length);
        p += length;
        int from = p;
        for (int f = 1; f < count; f++) {
            if (end - p < 4) {
                return false;
            }
            int n = int32(b, p);
            p += 4;
            if (n > 0) {
                if (end - p < n) {
                    return false;
                }
                p += n;
            }
        }
        fields = count;
        keyBits = bits;
        keyLength = length;
        dataFrom = from;
        dataTo = p;
        return true;
    }

    private static int int32(byte[] b, int p) {
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    /**
     * Whether the current tuple's key is the same value as the last forwarded tuple's, as
     * {@link KeyType#same} says of the decoded keys: {@link #decode} depends on the key's integer alone and
     * gives a different value for a different integer, for every key type (int2/int4/int8, date, timestamp,
     * timestamptz in UTC microseconds, and ctid's block and line pointer), so equal integers are equal keys.
     */
    boolean sameKey() {
        return hasLast && keyBits == lastBits;
    }

    /** The current tuple's key, decoded. */
    Object currentKey(KeyType type) {
        return decode(type, keyBits, keyLength);
    }

    /** The last forwarded tuple's key, decoded; null before the first. */
    Object lastKey(KeyType type) {
        return hasLast ? decode(type, lastBits, lastLength) : null;
    }

    /**
     * Forwards the current tuple without its key, as a tuple of its own; its key becomes the last
     * forwarded one.
     */
    void forwardRest(Sink out) throws SQLException {
        if (dataFrom >= 0) {
            out.int16(fields - 1);
            out.bytes(piece, dataFrom, dataTo - dataFrom);
            at = dataTo;
            dataFrom = -1;
        } else {
            forward(fields - 1, out);
        }
        keyForwarded();
    }

    /**
     * Forwards the current tuple whole, its key included (the key is a data column too, sent once); its key
     * becomes the last forwarded one.
     */
    void forwardWhole(Sink out) throws SQLException {
        if (dataFrom >= 0) {
            out.bytes(piece, tupleFrom, dataTo - tupleFrom);
            at = dataTo;
            dataFrom = -1;
        } else { // the key was read already: write it back from its integer, then the rest as it comes
            out.int16(fields);
            out.int32(keyLength);
            for (int i = keyLength - 1; i >= 0; i--) {
                out.byte8((int) (keyBits >>> (8 * i)));
            }
            forwardFields(fields - 1, out);
        }
        keyForwarded();
    }

    private void keyForwarded() {
        lastBits = keyBits;
        lastLength = keyLength;
        hasLast = true;
    }

    /** A key's value from its binary form, as {@link KeyType#read} would have read it through the driver. */
    static Object decode(KeyType type, long v, int length) {
        switch (type) {
            case INTEGER:
                return v;
            case DATE:
                if (length != 4) {
                    throw new IllegalStateException("a date key of " + length + " bytes");
                }
                return v == Integer.MAX_VALUE ? LocalDate.MAX : v == Integer.MIN_VALUE ? LocalDate.MIN
                        : LocalDate.ofEpochDay(PG_EPOCH_DAY + v);
            case TIMESTAMP:
                return v == Long.MAX_VALUE ? LocalDateTime.MAX : v == Long.MIN_VALUE ? LocalDateTime.MIN : timestamp(v);
            case CTID:
                return new BlockRanges.Tid(v >>> 16, (int) (v & 0xFFFF)); // block (uint32), line pointer (uint16)
            case TIMESTAMPTZ:
                return v == Long.MAX_VALUE ? OffsetDateTime.MAX : v == Long.MIN_VALUE ? OffsetDateTime.MIN
                        : timestamp(v).atOffset(ZoneOffset.UTC);
            default:
                throw new IllegalStateException(type.name());
        }
    }

    /**
     * PostgreSQL's microseconds since 2000-01-01 00:00 as a LocalDateTime: {@code PG_EPOCH.plus(micros,
     * MICROS)}, the same value for every timestamp PostgreSQL stores, built from the epoch second at once
     * rather than by adding days, then nanoseconds (which was most of a timestamptz's decoding in a profile of
     * the 5-column transform job).
     */
    static LocalDateTime timestamp(long micros) {
        return LocalDateTime.ofEpochSecond(PG_EPOCH_SECOND + Math.floorDiv(micros, 1_000_000L),
                (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
    }

    /**
     * Reads the tuple's next field; returns its length (-1: NULL). Its bytes are in {@link #fieldBytes()}
     * from {@link #fieldOffset()}: in place when the field lies whole in the current piece, else copied.
     */
    int field() throws SQLException {
        int length = (int) readInt(4);
        if (length > 0 && piece.length - at >= length) {
            fieldArray = piece;
            fieldOffset = at;
            at += length;
            return length;
        }
        if (length > field.length) {
            field = new byte[Math.max(length, field.length * 2)];
        }
        if (length > 0) {
            read(field, 0, length);
        }
        fieldArray = field;
        fieldOffset = 0;
        return length;
    }

    /** The bytes of the last field read (from {@link #fieldOffset()}), valid until the next read. */
    byte[] fieldBytes() {
        return fieldArray;
    }

    /** Where the last field read starts in {@link #fieldBytes()}. */
    int fieldOffset() {
        return fieldOffset;
    }

    /** Forwards the rest of the tuple (its {@code fields} remaining fields) as a tuple of its own. */
    void forward(int fields, Sink out) throws SQLException {
        out.int16(fields);
        forwardFields(fields, out);
    }

    /** Forwards the tuple's next {@code fields} fields as they are. */
    private void forwardFields(int fields, Sink out) throws SQLException {
        for (int f = 0; f < fields; f++) {
            int length = (int) readInt(4);
            out.int32(length);
            for (int left = length; left > 0; ) {
                int n = out.room(left);
                read(out.buf, out.len, n);
                out.len += n;
                left -= n;
            }
        }
    }

    private long readInt(int bytes) throws SQLException {
        byte[] b = piece;
        int from = at;
        if (b.length - from >= bytes) {
            at += bytes; // in place, the common case
        } else {
            read(scratch, 0, bytes);
            b = scratch;
            from = 0;
        }
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | (b[from + i] & 0xFF);
        }
        return bytes == 4 ? (int) v : v;
    }

    private void read(byte[] into, int offset, int length) throws SQLException {
        while (length > 0) {
            if (at == piece.length) {
                if (!nextPiece()) {
                    throw new EtlException("the source's binary COPY ended inside a tuple");
                }
                continue;
            }
            int n = Math.min(length, piece.length - at);
            System.arraycopy(piece, at, into, offset, n);
            at += n;
            offset += n;
            length -= n;
        }
    }

    /** Moves on to the source's next piece; false when the COPY has no more. */
    private boolean nextPiece() throws SQLException {
        if (ended) {
            return false;
        }
        byte[] more = in.readFromCopy();
        if (more == null) {
            ended = true;
            return false;
        }
        piece = more;
        at = 0;
        return true;
    }

    /** Drains what the source still sends after the trailer, so the COPY ends cleanly. */
    void finish() throws SQLException {
        while (!ended && in.readFromCopy() != null) {
            // nothing follows the trailer
        }
    }

    /** One binary COPY into the target, written through a fixed buffer. */
    static final class Sink {
        private static final int SIZE = 64 * 1024;
        private final CopyIn copy;
        final byte[] buf = new byte[SIZE];
        int len;
        private boolean ended;
        private boolean flushed;

        Sink(CopyIn copy) throws SQLException {
            this.copy = copy;
            System.arraycopy(SIGNATURE, 0, buf, 0, SIGNATURE.length);
            len = SIGNATURE.length + 8; // flags 0, no header extension
        }

        void byte8(int v) throws SQLException {
            ensure(1);
            buf[len++] = (byte) v;
        }

        void int16(int v) throws SQLException {
            ensure(2);
            put16(v);
        }

        void int32(int v) throws SQLException {
            ensure(4);
            put32(v);
        }

        void int64(long v) throws SQLException {
            ensure(8);
            put64(v);
        }

        /** A field of a fixed-size value (1, 2, 4 or 8 bytes): its length, then the value, big-endian. */
        void field(long v, int size) throws SQLException {
            ensure(4 + size); // one check for the length and the value
            put32(size);
            switch (size) {
                case 1:
                    buf[len++] = (byte) v;
                    break;
                case 2:
                    put16((int) v);
                    break;
                case 4:
                    put32((int) v);
                    break;
                case 8:
                    put64(v);
                    break;
                default:
                    throw new IllegalArgumentException("no fixed-size field of " + size + " bytes");
            }
        }

        // big-endian; the room was ensured by the caller
        private void put16(int v) {
            buf[len] = (byte) (v >> 8);
            buf[len + 1] = (byte) v;
            len += 2;
        }

        private void put32(int v) {
            buf[len] = (byte) (v >> 24);
            buf[len + 1] = (byte) (v >> 16);
            buf[len + 2] = (byte) (v >> 8);
            buf[len + 3] = (byte) v;
            len += 4;
        }

        private void put64(long v) {
            put32((int) (v >> 32));
            put32((int) v);
        }

        /** Flushes when fewer than n (at most the buffer's size) bytes are left. */
        private void ensure(int n) throws SQLException {
            if (SIZE - len < n) {
                flush();
            }
        }

        /** Copies these bytes in, flushing whenever the buffer is full. */
        void bytes(byte[] from, int offset, int length) throws SQLException {
            while (length > 0) {
                if (len == SIZE) {
                    flush();
                }
                int n = Math.min(length, SIZE - len);
                System.arraycopy(from, offset, buf, len, n);
                len += n;
                offset += n;
                length -= n;
            }
        }

        /** Makes room for up to {@code wanted} bytes (flushing when full); returns how many fit now. */
        int room(int wanted) throws SQLException {
            if (SIZE - len < Math.min(wanted, 8)) {
                flush();
            }
            return Math.min(wanted, SIZE - len);
        }

        private void flush() throws SQLException {
            copy.writeToCopy(buf, 0, len);
            len = 0;
            flushed = true;
        }

        /** Whether any of the COPY's data went to the server (a COPY cancelled before has sent no row). */
        boolean flushed() {
            return flushed;
        }

        /** Writes the trailer and ends the COPY; returns the rows the server took. */
        long end() throws SQLException {
            int16(-1);
            flush();
            ended = true; // whatever endCopy answers, the COPY is over: cancelling it now would upset the protocol
            return copy.endCopy();
        }

        /** Abandons the COPY (the transaction is rolled back), leaving the connection usable. */
        void cancel() {
            try {
                if (!ended && copy.isActive()) {
                    copy.cancelCopy();
                }
            } catch (SQLException ignored) {
                // the rollback that follows ends the transaction anyway
            }
        }
    }
}
