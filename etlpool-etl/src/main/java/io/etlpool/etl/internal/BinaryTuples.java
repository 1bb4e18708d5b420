package io.etlpool.etl.internal;

import io.etlpool.etl.EtlException;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * PostgreSQL's binary COPY stream, framed by tuple and no further: a 19-byte header (signature, flags,
 * extension length), then per tuple an int16 field count and per field an int32 length (-1: NULL) and
 * that many bytes, then an int16 -1. Reads what a {@code COPY ... TO STDOUT (FORMAT binary)} sends, in
 * whatever pieces the driver hands over, and forwards tuples into a {@code COPY ... FROM STDIN (FORMAT
 * binary)} through one fixed buffer: no tuple is ever held whole, so a chunk costs the buffer whatever
 * its size. Only the first field of each tuple (the partition key) is decoded.
 */
final class BinaryTuples {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final LocalDateTime PG_EPOCH = BinaryValues.PG_EPOCH;
    private static final long PG_EPOCH_DAY = BinaryValues.PG_EPOCH_DAY;

    private final CopyOut in;
    private byte[] piece = new byte[0];
    private int at;
    private final byte[] scratch = new byte[8];
    /** The last field {@link #field()} read. */
    private byte[] field = new byte[256];

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
        int length = (int) readInt(4);
        if (length < 0 || length > 8) {
            throw new EtlException("the source sent a partition key of " + length + " bytes in binary COPY; expected "
                    + "an integer, date or timestamp");
        }
        read(scratch, 0, length);
        long v = 0;
        for (int i = 0; i < length; i++) {
            v = (v << 8) | (scratch[i] & 0xFF);
        }
        if (length == 2) {
            v = (short) v;
        } else if (length == 4) {
            v = (int) v;
        }
        return decode(type, v, length);
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
                return v == Long.MAX_VALUE ? LocalDateTime.MAX : v == Long.MIN_VALUE ? LocalDateTime.MIN
                        : PG_EPOCH.plus(v, ChronoUnit.MICROS);
            case CTID:
                return new BlockRanges.Tid(v >>> 16, (int) (v & 0xFFFF)); // block (uint32), line pointer (uint16)
            case TIMESTAMPTZ:
                return v == Long.MAX_VALUE ? OffsetDateTime.MAX : v == Long.MIN_VALUE ? OffsetDateTime.MIN
                        : PG_EPOCH.plus(v, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
            default:
                throw new IllegalStateException(type.name());
        }
    }

    /** Reads the tuple's next field; returns its length (-1: NULL), its bytes are in {@link #fieldBytes()}. */
    int field() throws SQLException {
        int length = (int) readInt(4);
        if (length > field.length) {
            field = new byte[Math.max(length, field.length * 2)];
        }
        if (length > 0) {
            read(field, 0, length);
        }
        return length;
    }

    /** The bytes of the last field read, valid until the next read. */
    byte[] fieldBytes() {
        return field;
    }

    /** Forwards the rest of the tuple (its {@code fields} remaining fields) as a tuple of its own. */
    void forward(int fields, Sink out) throws SQLException {
        out.int16(fields);
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
        read(scratch, 0, bytes);
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | (scratch[i] & 0xFF);
        }
        return bytes == 4 ? (int) v : v;
    }

    private void read(byte[] into, int offset, int length) throws SQLException {
        while (length > 0) {
            if (at == piece.length) {
                byte[] more = in.readFromCopy();
                if (more == null) {
                    throw new EtlException("the source's binary COPY ended inside a tuple");
                }
                piece = more;
                at = 0;
                continue;
            }
            int n = Math.min(length, piece.length - at);
            System.arraycopy(piece, at, into, offset, n);
            at += n;
            offset += n;
            length -= n;
        }
    }

    /** Drains what the source still sends after the trailer, so the COPY ends cleanly. */
    void finish() throws SQLException {
        while (in.readFromCopy() != null) {
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

        Sink(CopyIn copy) throws SQLException {
            this.copy = copy;
            System.arraycopy(SIGNATURE, 0, buf, 0, SIGNATURE.length);
            len = SIGNATURE.length + 8; // flags 0, no header extension
        }

        void int16(int v) throws SQLException {
            room(2);
            buf[len++] = (byte) (v >> 8);
            buf[len++] = (byte) v;
        }

        void int32(int v) throws SQLException {
            room(4);
            buf[len++] = (byte) (v >> 24);
            buf[len++] = (byte) (v >> 16);
            buf[len++] = (byte) (v >> 8);
            buf[len++] = (byte) v;
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
