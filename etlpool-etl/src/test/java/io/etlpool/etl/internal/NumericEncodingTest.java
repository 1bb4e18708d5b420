package io.etlpool.etl.internal;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * numeric's binary form written without text ({@link BinaryValues#writeSmallNumeric}) is byte for byte the
 * form written through the value's digits, for every value it takes; it declines the rest. Each value
 * reads back as itself, by the long (up to 16 digits) or the BigInteger way. (The digits path and the
 * reading are checked against the server by the type matrix tests.)
 */
class NumericEncodingTest {

    @Test
    void theFastPathWritesTheSameBytesAsTheDigitsPathAndDeclinesWhatDoesNotFit() throws SQLException {
        List<BigDecimal> values = new ArrayList<>();
        for (String s : new String[] {"0", "0.0", "0.0000", "0.00000", "1", "-1", "9999", "10000", "-10000", "12345678.9",
                "0.00000012", "0.0012", "1E-20", "-0.00010000", "123456789012345678", "-999999999999999999.99",
                "4611686018427387903", "4611686018427387904", "46116860184273879.03", "1E+3", "12.50", "100000000.0001"}) {
            values.add(new BigDecimal(s));
        }
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            values.add(new BigDecimal(BigInteger.valueOf(random.nextLong() >> random.nextInt(63)), random.nextInt(24)));
        }
        int fast = 0;
        for (BigDecimal d : values) {
            BinaryTuplesTest.Collected viaDigits = new BinaryTuplesTest.Collected();
            BinaryTuples.Sink a = new BinaryTuples.Sink(viaDigits);
            BinaryValues.writeNumericByDigits(d, a);
            a.end();
            BinaryTuplesTest.Collected viaLong = new BinaryTuplesTest.Collected();
            BinaryTuples.Sink b = new BinaryTuples.Sink(viaLong);
            boolean took = BinaryValues.writeSmallNumeric(d, b);
            b.end();
            byte[] field = viaDigits.bytes.toByteArray();
            int at = 19 + 4; // after the header and the field's length
            assertThat(BinaryValues.numeric(field, at, field.length - at - 2)).as(d.toPlainString() + " read back")
                    .isEqualTo(d.scale() < 0 ? d.setScale(0) : d);
            if (took) {
                fast++;
                assertThat(viaLong.bytes.toByteArray()).as(d.toPlainString()).isEqualTo(viaDigits.bytes.toByteArray());
            } else {
                int pad = d.scale() < 0 ? 0 : (d.scale() + 3) / 4 * 4 - d.scale();
                BigInteger padded = d.unscaledValue().abs().multiply(BigInteger.TEN.pow(pad));
                assertThat(d.scale() < 0 || d.unscaledValue().bitLength() > 62 || padded.bitLength() > 63)
                        .as(d.toPlainString() + " declined").isTrue();
            }
        }
        assertThat(fast).isGreaterThan(values.size() * 9 / 10);
        assertThat(BinaryValues.writeSmallNumeric(new BigDecimal("1E+3"), new BinaryTuples.Sink(new BinaryTuplesTest.Collected())))
                .as("a negative scale").isFalse();
        assertThat(BinaryValues.writeSmallNumeric(new BigDecimal("123456789012345678901"),
                new BinaryTuples.Sink(new BinaryTuplesTest.Collected()))).as("more than a long").isFalse();
    }
}
