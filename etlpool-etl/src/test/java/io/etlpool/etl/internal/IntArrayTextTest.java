package io.etlpool.etl.internal;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PGobject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Integer arrays' text forms written in binary: the bytes the server's own array_send gives for that text. */
@PostgresTest
class IntArrayTextTest {

    private static final IntArrayText INT4 = new IntArrayText(23, 4, Integer.MIN_VALUE, Integer.MAX_VALUE);
    private static final IntArrayText INT2 = new IntArrayText(21, 2, Short.MIN_VALUE, Short.MAX_VALUE);
    private static final IntArrayText INT8 = new IntArrayText(20, 8, Long.MIN_VALUE, Long.MAX_VALUE);

    /** The field's bytes (no length) that the encoder writes for this value. */
    private static byte[] encoded(IntArrayText array, Object value) throws Exception {
        int header = BinaryTuplesTest.sinkHeader().length;
        BinaryTuplesTest.Collected into = new BinaryTuplesTest.Collected();
        BinaryTuples.Sink sink = new BinaryTuples.Sink(into);
        array.write(value, sink);
        sink.end();
        byte[] all = into.bytes.toByteArray();
        int length = ((all[header] & 0xFF) << 24) | ((all[header + 1] & 0xFF) << 16) | ((all[header + 2] & 0xFF) << 8)
                | (all[header + 3] & 0xFF);
        assertThat(all.length).as("length, field, trailer").isEqualTo(header + 4 + length + 2);
        return Arrays.copyOfRange(all, header + 4, header + 4 + length);
    }

    /** Whether the encoder takes the value (writing it into a sink that is then dropped). */
    private static boolean fits(IntArrayText array, Object value) throws Exception {
        return array.write(value, new BinaryTuples.Sink(new BinaryTuplesTest.Collected()));
    }

    private static byte[] arraySend(Connection c, String text, String type) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT array_send(CAST(? AS " + type + "))")) {
            ps.setString(1, text);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    @Test
    void theCanonicalTextsGiveTheServersBinaryForm(TestDatabase db) throws Exception {
        List<String> texts = List.of("{}", "{0}", "{1,2,3}", "{-1,NULL,7}", "{NULL}", "{{1,NULL},{3,4}}",
                "{{{1},{2}},{{3},{4}}}", "{2147483647,-2147483648}", "{{1,2,3},{4,5,6}}",
                "[0:1]={7,8}", "[-3:-2][5:7]={{1,2,3},{4,NULL,6}}", "[-2147483648:-2147483647]={1,2}");
        try (Connection c = db.connect()) {
            for (String text : texts) {
                PGobject v = new PGobject();
                v.setType("_int4");
                v.setValue(text);
                assertThat(fits(INT4, v)).as(text).isTrue();
                assertThat(encoded(INT4, v)).as(text).isEqualTo(arraySend(c, text, "int4[]"));
                // the same text as a String, and into the other integer element types where it fits
                assertThat(encoded(INT4, text)).as(text).isEqualTo(arraySend(c, text, "int4[]"));
                assertThat(encoded(INT8, text)).as(text).isEqualTo(arraySend(c, text, "int8[]"));
            }
            assertThat(encoded(INT2, "{-32768,NULL,32767}")).isEqualTo(arraySend(c, "{-32768,NULL,32767}", "int2[]"));
            assertThat(encoded(INT8, "{9223372036854775807,-9223372036854775808}"))
                    .isEqualTo(arraySend(c, "{9223372036854775807,-9223372036854775808}", "int8[]"));
        }
    }

    @Test
    void anyOtherTextOrValueIsLeftToTheArrayInputFunction() throws Exception {
        // each of these the input function reads (or refuses) in its own way: they go by COPY text
        for (String text : List.of("{1, 2}", "{ 1}", "{+1}", "{01}", "{-0}", "[1:2]={1,2,3}",
                "[0:1]{1,2}", "[0:1]=", "[0:1][1:1]={1,2}", "[00:1]={1,2}", "[0:1]=[0:1]={1,2}", "[0:1={1,2}", "{{1,2},{3}}", "{{1},2}",
                "{1,{2}}", "{\"1\"}", "{null}", "{1,}", "{,1}", "{{}}", "{1}x", "1,2", "", "{", "{2147483648}",
                "{-2147483649}", "{1.5}", "{{{{{{{1}}}}}}}")) {
            assertThat(fits(INT4, text)).as(text).isFalse();
        }
        assertThat(fits(INT2, "{32768}")).isFalse();
        assertThat(fits(INT4, new int[] {1})).isFalse();
        assertThat(fits(INT4, 42)).isFalse();
        assertThat(fits(INT4, new PGobject())).as("a PGobject without a value is NULL").isTrue();
        assertThat(fits(INT4, "{{{{{{1}}}}}}")).as("six dimensions, the most there are").isTrue();
    }
}
