package io.etlpool.etl.internal;

import io.etlpool.etl.EtlException;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;
import org.postgresql.util.ByteStreamWriter;

import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The framing of binary COPY, on the bytes a real server sends, cut into pieces every way: at every byte
 * position, in pieces of every small size, and as the server sent them. Whatever the cut, the relay
 * forwards exactly the bytes the server sends for the data columns alone (or, forwarding tuples whole, all it
 * sends), reads every key as the driver
 * would, and calls two keys the same exactly when {@link KeyType#same} does, for every key type; the row
 * path's field-by-field read sees the same keys and fields.
 */
@PostgresTest
class BinaryTuplesTest {

    private static final String DATA = "id, a, b, c";

    /** Rows with repeated keys (equal timestamptz instants written at other offsets), NULLs, infinities, BC. */
    private static void keysOfEveryType(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET TIME ZONE 'UTC'");
            s.execute("CREATE TABLE t (id int, i2 int2, i4 int4, i8 int8, d date, ts timestamp, tz timestamptz, "
                    + "a text, b bytea, c float8)");
            s.execute("INSERT INTO t VALUES "
                    + "(1, -32768, -2147483648, -9223372036854775808, '-infinity', '-infinity', '-infinity', '', NULL, NULL), "
                    + "(2, -1, -1, -1, '0044-03-15 BC', '0044-03-15 12:00 BC', '0044-03-15 12:00+00 BC', NULL, '', 'NaN'), "
                    + "(3, 0, 0, 0, '2000-01-01', '2000-01-01 00:00', '2000-01-01 00:00+00', 'x', '\\x00', 0), "
                    + "(4, 0, 0, 0, '2000-01-01', '2000-01-01 00:00', '2000-01-01 01:00+01', 'y', NULL, 1.5), "
                    + "(5, 1, 1, 1, '2000-01-02', '2000-01-01 00:00:00.000001', '2000-01-01 00:00:00.000001+00', 'z', '\\xff', -0.0), "
                    + "(6, 256, 256, 256, '2000-09-13', '2000-01-01 00:00:00.000256', '2000-01-01 00:00:00.000256+00', 'é', '\\x0102', 1e300), "
                    + "(7, 257, 16777216, 4294967296, '2024-02-29', '2024-02-29 23:59:59.999999', '2024-02-29 23:59:59.999999-12', "
                    + "repeat('w', 300), decode(repeat('ab', 200), 'hex'), 'Infinity'), "
                    + "(8, 257, 16777216, 4294967296, '2024-02-29', '2024-02-29 23:59:59.999999', '2024-03-01 11:59:59.999999+00', 'q', NULL, NULL), "
                    + "(9, 32767, 2147483647, 9223372036854775807, 'infinity', 'infinity', 'infinity', NULL, NULL, '-Infinity')");
        }
    }

    private static final Map<String, KeyType> KEYS = Map.of("i2", KeyType.INTEGER, "i4", KeyType.INTEGER,
            "i8", KeyType.INTEGER, "d", KeyType.DATE, "ts", KeyType.TIMESTAMP, "tz", KeyType.TIMESTAMPTZ,
            "ctid", KeyType.CTID);

    @Test
    void everyKeyTypeFramedAtEveryByteAndInPiecesOfEverySmallSize(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            keysOfEveryType(c);
            for (Map.Entry<String, KeyType> k : KEYS.entrySet()) {
                String order = " ORDER BY " + k.getKey() + ", id";
                List<byte[]> sent = copyOut(c, "COPY (SELECT " + k.getKey() + ", " + DATA + " FROM t" + order
                        + ") TO STDOUT (FORMAT binary)");
                byte[] want = concat(copyOut(c, "COPY (SELECT " + DATA + " FROM t" + order + ") TO STDOUT (FORMAT binary)"));
                List<Object> keys = keys(c, "SELECT " + k.getKey() + " FROM t" + order, k.getValue());
                byte[] all = concat(sent);
                List<List<byte[]>> cuts = new ArrayList<>();
                cuts.add(sent);
                for (int at = 1; at < all.length; at++) {
                    cuts.add(List.of(Arrays.copyOfRange(all, 0, at), Arrays.copyOfRange(all, at, all.length)));
                }
                for (int size = 1; size <= 16; size++) {
                    cuts.add(chop(all, size));
                }
                for (List<byte[]> pieces : cuts) {
                    String as = k.getKey() + " key in pieces of " + sizes(pieces);
                    Relayed r = relay(pieces, k.getValue());
                    assertThat(r.out).as(as).isEqualTo(want);
                    assertThat(r.keys).as(as).isEqualTo(keys);
                    Relayed whole = relay(pieces, k.getValue(), true);
                    assertThat(whole.out).as(as + ", forwarded whole").isEqualTo(all);
                    assertThat(whole.keys).as(as + ", forwarded whole").isEqualTo(keys);
                    Relayed f = fieldByField(pieces, k.getValue());
                    assertThat(f.out).as(as + ", field by field").isEqualTo(want);
                    assertThat(f.keys).as(as + ", field by field").isEqualTo(keys);
                    for (int i = 0; i < keys.size(); i++) {
                        assertThat(r.same.get(i)).as(as + ", row " + i)
                                .isEqualTo(i > 0 && k.getValue().same(keys.get(i), keys.get(i - 1)));
                    }
                }
            }
        }
    }

    @Test
    void fieldsWiderThanTheSinkBufferPassWholeThroughBoundedWrites(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE w (id int, a text, b bytea)");
            s.execute("INSERT INTO w SELECT g, CASE WHEN g % 3 = 0 THEN repeat(md5(g::text), 5000) END, "
                    + "CASE WHEN g % 2 = 0 THEN decode(repeat(md5(g::text), 4000 * g), 'hex') ELSE '' END "
                    + "FROM generate_series(1, 6) g");
            List<byte[]> sent = copyOut(c, "COPY (SELECT id, id, a, b FROM w ORDER BY id) TO STDOUT (FORMAT binary)");
            byte[] want = concat(copyOut(c, "COPY (SELECT id, a, b FROM w ORDER BY id) TO STDOUT (FORMAT binary)"));
            assertThat(want.length).isGreaterThan(4 * 65536);
            byte[] all = concat(sent);
            List<List<byte[]>> cuts = new ArrayList<>(List.of(sent));
            for (int size : new int[] {1, 3, 7, 4096, 65535, 65536, 65537, 1 << 20}) {
                cuts.add(chop(all, size));
            }
            for (List<byte[]> pieces : cuts) {
                Relayed r = relay(pieces, KeyType.INTEGER);
                assertThat(r.out).as("pieces of " + sizes(pieces)).isEqualTo(want);
                assertThat(r.keys).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
                assertThat(r.largestWrite).isLessThanOrEqualTo(64 * 1024);
                Relayed whole = relay(pieces, KeyType.INTEGER, true);
                assertThat(whole.out).as("pieces of " + sizes(pieces) + ", forwarded whole").isEqualTo(all);
                assertThat(whole.largestWrite).isLessThanOrEqualTo(64 * 1024);
                assertThat(fieldByField(pieces, KeyType.INTEGER).out).as("pieces of " + sizes(pieces)).isEqualTo(want);
            }
        }
    }

    @Test
    void fixedSizeFieldsAreTheirLengthThenTheValueBigEndianAcrossEveryBufferBoundary() throws Exception {
        byte[] header = sinkHeader();

        Collected into = new Collected();
        BinaryTuples.Sink sink = new BinaryTuples.Sink(into);
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        java.io.DataOutputStream expected = new java.io.DataOutputStream(want);
        expected.write(header);
        int[] sizes = {1, 2, 4, 8, 8, 4, 2};
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 40_000; i++) { // about 5 times the 64 KiB buffer, each size at every offset
            int size = sizes[i % sizes.length];
            long v = random.nextLong();
            sink.field(v, size);
            expected.writeInt(size);
            for (int b = size - 1; b >= 0; b--) {
                expected.write((int) (v >>> (8 * b)));
            }
            if (i % 5 == 0) {
                sink.int64(v);
                expected.writeLong(v);
                sink.int16((int) v);
                expected.writeShort((int) v);
            }
        }
        sink.end();
        expected.writeShort(-1);
        assertThat(into.bytes.toByteArray()).isEqualTo(want.toByteArray());
        assertThat(into.largest).isLessThanOrEqualTo(64 * 1024);
    }

    @Test
    void aKeyItsTypeCannotHaveOrANullKeyFailsWhicheverTheCut(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            keysOfEveryType(c);
            List<byte[]> timestamps = copyOut(c, "COPY (SELECT ts, " + DATA + " FROM t ORDER BY ts) TO STDOUT (FORMAT binary)");
            List<byte[]> nulls = copyOut(c, "COPY (SELECT NULL::int, " + DATA + " FROM t) TO STDOUT (FORMAT binary)");
            for (List<byte[]> pieces : List.of(timestamps, chop(concat(timestamps), 1))) {
                assertThatThrownBy(() -> relay(pieces, KeyType.DATE)).isInstanceOf(IllegalStateException.class)
                        .hasMessage("a date key of 8 bytes");
            }
            for (List<byte[]> pieces : List.of(nulls, chop(concat(nulls), 1))) {
                assertThatThrownBy(() -> relay(pieces, KeyType.INTEGER)).isInstanceOf(EtlException.class)
                        .hasMessageContaining("a partition key of -1 bytes");
            }
        }
    }

    @Test
    void aStreamCutOffInsideATupleFailsWhicheverTheCut(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            keysOfEveryType(c);
            byte[] all = concat(copyOut(c, "COPY (SELECT i8, " + DATA + " FROM t ORDER BY i8) TO STDOUT (FORMAT binary)"));
            byte[] cut = Arrays.copyOf(all, all.length - 10); // the last tuple's end and the trailer are missing
            for (List<byte[]> pieces : List.of(List.of(cut), chop(cut, 1))) {
                assertThatThrownBy(() -> relay(pieces, KeyType.INTEGER)).isInstanceOf(EtlException.class)
                        .hasMessage("the source's binary COPY ended inside a tuple");
            }
        }
    }

    // ---- the relay's loop over pieces, as PartitionTask runs it

    private static final class Relayed {
        byte[] out;
        final List<Object> keys = new ArrayList<>();
        final List<Boolean> same = new ArrayList<>();
        int largestWrite;
    }

    private static Relayed relay(List<byte[]> pieces, KeyType type) throws SQLException {
        return relay(pieces, type, false);
    }

    /** The relay's loop; {@code whole}: each tuple forwarded with its key (the key is a data column). */
    private static Relayed relay(List<byte[]> pieces, KeyType type, boolean whole) throws SQLException {
        Relayed r = new Relayed();
        Collected into = new Collected();
        BinaryTuples tuples = new BinaryTuples(new Pieces(pieces));
        BinaryTuples.Sink sink = new BinaryTuples.Sink(into);
        Object last = null;
        while (tuples.tuple(type) >= 0) {
            assertThat(tuples.lastKey(type)).isEqualTo(last);
            r.same.add(tuples.sameKey());
            last = tuples.currentKey(type);
            r.keys.add(last);
            if (whole) {
                tuples.forwardWhole(sink);
            } else {
                tuples.forwardRest(sink);
            }
        }
        assertThat(tuples.lastKey(type)).isEqualTo(last);
        tuples.finish();
        sink.end();
        r.out = into.bytes.toByteArray();
        r.largestWrite = into.largest;
        return r;
    }

    /** The row path's read (SourceRows): key, then each field; the fields written out again as they came. */
    private static Relayed fieldByField(List<byte[]> pieces, KeyType type) throws SQLException {
        Relayed r = new Relayed();
        Collected into = new Collected();
        BinaryTuples tuples = new BinaryTuples(new Pieces(pieces));
        BinaryTuples.Sink sink = new BinaryTuples.Sink(into);
        for (int fields; (fields = tuples.next()) >= 0; ) {
            r.keys.add(tuples.key(type));
            sink.int16(fields - 1);
            for (int i = 1; i < fields; i++) {
                int length = tuples.field();
                sink.int32(length);
                if (length > 0) {
                    sink.bytes(tuples.fieldBytes(), tuples.fieldOffset(), length);
                }
            }
        }
        tuples.finish();
        sink.end();
        r.out = into.bytes.toByteArray();
        return r;
    }

    /** What the server sends, message by message, through the driver's own CopyOut. */
    private static List<byte[]> copyOut(Connection c, String sql) throws SQLException {
        CopyOut out = c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
        List<byte[]> messages = new ArrayList<>();
        for (byte[] m; (m = out.readFromCopy()) != null; ) {
            messages.add(m);
        }
        return messages;
    }

    private static List<Object> keys(Connection c, String sql, KeyType type) throws SQLException {
        List<Object> keys = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                keys.add(type.read(rs, 1));
            }
        }
        return keys;
    }

    private static byte[] concat(List<byte[]> pieces) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        pieces.forEach(all::writeBytes);
        return all.toByteArray();
    }

    private static List<byte[]> chop(byte[] all, int size) {
        List<byte[]> pieces = new ArrayList<>();
        for (int at = 0; at < all.length; at += size) {
            pieces.add(Arrays.copyOfRange(all, at, Math.min(all.length, at + size)));
        }
        return pieces;
    }

    private static String sizes(List<byte[]> pieces) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pieces.size() && i < 4; i++) {
            b.append(i == 0 ? "" : ", ").append(pieces.get(i).length);
        }
        return b.append(pieces.size() > 4 ? ", ... (" + pieces.size() + " pieces)" : "").toString();
    }

    /** The server's messages handed over in other pieces. */
    private static final class Pieces implements CopyOut {
        private final Iterator<byte[]> next;
        private boolean active = true;

        Pieces(List<byte[]> pieces) {
            next = pieces.iterator();
        }

        @Override
        public byte[] readFromCopy() {
            if (next.hasNext()) {
                return next.next();
            }
            active = false;
            return null;
        }

        @Override
        public byte[] readFromCopy(boolean block) {
            return readFromCopy();
        }

        @Override
        public int getFieldCount() {
            return 0;
        }

        @Override
        public int getFormat() {
            return 1;
        }

        @Override
        public int getFieldFormat(int field) {
            return 1;
        }

        @Override
        public boolean isActive() {
            return active;
        }

        @Override
        public void cancelCopy() {
            active = false;
        }

        @Override
        public long getHandledRowCount() {
            return 0;
        }
    }

    /** What a Sink writes before its first tuple: the signature, flags and header extension length. */
    static byte[] sinkHeader() throws SQLException {
        Collected empty = new Collected();
        new BinaryTuples.Sink(empty).end();
        return Arrays.copyOf(empty.bytes.toByteArray(), empty.bytes.size() - 2); // no trailer
    }

    /** Collects what the relay writes, and the largest single write. */
    static final class Collected implements CopyIn {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int largest;

        @Override
        public void writeToCopy(byte[] buf, int off, int size) {
            bytes.write(buf, off, size);
            largest = Math.max(largest, size);
        }

        @Override
        public void writeToCopy(ByteStreamWriter from) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void flushCopy() {
        }

        @Override
        public long endCopy() {
            return 0;
        }

        @Override
        public int getFieldCount() {
            return 0;
        }

        @Override
        public int getFormat() {
            return 1;
        }

        @Override
        public int getFieldFormat(int field) {
            return 1;
        }

        @Override
        public boolean isActive() {
            return false;
        }

        @Override
        public void cancelCopy() {
        }

        @Override
        public long getHandledRowCount() {
            return 0;
        }
    }

    /**
     * A timestamp's microseconds decode to what adding them to 2000-01-01 gives, across PostgreSQL's range
     * (4713 BC to 294276 AD), on both sides of the epoch and of each second.
     */
    @Test
    void aTimestampDecodesAsAddingItsMicrosecondsToTheEpoch() {
        java.time.LocalDateTime epoch = java.time.LocalDateTime.of(2000, 1, 1, 0, 0);
        long min = -211_813_488_000_000_000L; // 4714-11-24 00:00 BC, PostgreSQL's first timestamp
        long end = 9_223_371_331_200_000_000L; // 294277-01-01 00:00, just past its last
        List<Long> micros = new ArrayList<>(List.of(min, min + 1, end - 1, 0L, 1L, -1L, 999_999L, -999_999L,
                1_000_000L, -1_000_000L, -1_000_001L, 86_400_000_000L - 1, 757_382_400_123_456L));
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 10_000; i++) {
            micros.add(min + (long) (random.nextDouble() * ((double) end - min)));
        }
        for (long m : micros) {
            assertThat(BinaryTuples.timestamp(m)).as("%d", m).isEqualTo(epoch.plus(m, java.time.temporal.ChronoUnit.MICROS));
        }
    }
}
