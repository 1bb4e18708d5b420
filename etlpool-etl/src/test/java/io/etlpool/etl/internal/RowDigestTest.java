package io.etlpool.etl.internal;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PGobject;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resume digest hashes what the column codecs produce by content, so two runs reading the same rows
 * agree: byte arrays, text forms (PGobject) and numerics are equal by value, not by object identity.
 */
class RowDigestTest {

    private static PGobject text(String type, String value) throws Exception {
        return ColumnCodec.textValue(type, value);
    }

    private static Object[] row() throws Exception {
        return new Object[] {1, new byte[] {0, 1, 2}, text("xml", "<a>b</a>"), text("_int4", "{1,NULL,3}"),
                new BigDecimal("1.50"), text("numeric", "NaN"), OffsetDateTime.parse("2024-01-01T00:00Z"),
                UUID.fromString("00000000-0000-0000-0000-000000000001"), "text", null};
    }

    @Test
    void equalRowsReadTwiceHaveTheSameDigest() throws Exception {
        assertThat(RowDigest.add(0, row())).isEqualTo(RowDigest.add(0, row()));
        Object[] other = row();
        other[4] = new BigDecimal("1.5");
        assertThat(RowDigest.add(0, other)).isEqualTo(RowDigest.add(0, row()));
    }

    @Test
    void aDifferentValueOrTypeChangesTheDigest() throws Exception {
        for (int i = 1; i < 4; i++) {
            Object[] other = row();
            other[i] = i == 1 ? new byte[] {0, 1, 3} : text("xml", "<a>c</a>");
            assertThat(RowDigest.add(0, other)).as("column " + i).isNotEqualTo(RowDigest.add(0, row()));
        }
        Object[] retyped = row();
        retyped[2] = text("text", "<a>b</a>");
        assertThat(RowDigest.add(0, retyped)).isNotEqualTo(RowDigest.add(0, row()));
    }
}
