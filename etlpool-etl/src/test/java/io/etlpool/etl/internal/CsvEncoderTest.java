package io.etlpool.etl.internal;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PGobject;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The exact COPY CSV text per value kind; LoadModesTest and CopyValuesTest check the server reads it back. */
class CsvEncoderTest {

    private static String encode(Object... row) {
        CsvEncoder csv = new CsvEncoder(4); // tiny on purpose: every row makes it grow
        csv.row(row);
        return new String(csv.buffer(), 0, csv.length(), StandardCharsets.UTF_8);
    }

    @Test
    void textIsAlwaysQuotedWithQuotesDoubled() {
        assertThat(encode("plain", "", "say \"hi\", ok", "two\nlines\\", "\\.", "héllo ✓"))
                .isEqualTo("\"plain\",\"\",\"say \"\"hi\"\", ok\",\"two\nlines\\\",\"\\.\",\"héllo ✓\"\n");
    }

    @Test
    void nullIsAnEmptyUnquotedField() {
        assertThat(encode(null, 1, null)).isEqualTo(",1,\n");
    }

    @Test
    void numbersBooleansTimesAndBytes() {
        assertThat(encode(42, -7L, new BigDecimal("1250.25"), 1.5e300, Double.NaN, true, false,
                LocalDate.of(2020, 1, 2), OffsetDateTime.of(2024, 3, 10, 1, 30, 0, 0, ZoneOffset.ofHours(5)),
                new byte[]{0, (byte) 0xab, 0x7f}))
                .isEqualTo("42,-7,1250.25,1.5E300,NaN,t,f,2020-01-02,2024-03-10T01:30:00+05:00,\\x00ab7f\n");
    }

    @Test
    void timesKeepEveryDigitTheirOffsetAndTheirEra() {
        assertThat(encode(OffsetDateTime.of(2024, 3, 10, 1, 30, 5, 123_456_000, ZoneOffset.ofHoursMinutes(-9, -30)),
                OffsetDateTime.of(1, 1, 1, 0, 0, 0, 1, ZoneOffset.ofHoursMinutesSeconds(0, 17, 30)),
                LocalDateTime.of(2024, 2, 29, 23, 59, 59, 999_999_999), LocalDateTime.of(99999, 1, 1, 0, 0),
                OffsetDateTime.of(-44, 3, 15, 12, 0, 0, 0, ZoneOffset.UTC), LocalDate.of(0, 12, 31)))
                .isEqualTo("2024-03-10T01:30:05.123456-09:30,0001-01-01T00:00:00.000000001+00:17:30,"
                        + "2024-02-29T23:59:59.999999999,99999-01-01T00:00:00,0045-03-15T12:00:00+00:00 BC,"
                        + "0001-12-31 BC\n");
    }

    @Test
    void infinityIsWrittenAsPostgreSqlSpellsIt() {
        assertThat(encode(OffsetDateTime.MAX, OffsetDateTime.MIN, LocalDateTime.MAX, LocalDate.MIN))
                .isEqualTo("infinity,-infinity,infinity,-infinity\n");
    }

    @Test
    void integersAtTheirLimits() {
        assertThat(encode(Long.MIN_VALUE, Long.MAX_VALUE, 0, -10, (short) 7))
                .isEqualTo("-9223372036854775808,9223372036854775807,0,-10,7\n");
    }

    @Test
    void rowsAppendUntilReset() {
        CsvEncoder csv = new CsvEncoder(8);
        csv.row(new Object[]{"a"});
        csv.row(new Object[]{"b"});
        assertThat(new String(csv.buffer(), 0, csv.length(), StandardCharsets.UTF_8)).isEqualTo("\"a\"\n\"b\"\n");
        csv.reset();
        assertThat(csv.length()).isZero();
    }

    @Test
    void aValueInTheServersTextFormIsQuotedAsGivenAndNullStaysNull() throws Exception {
        PGobject xml = new PGobject();
        xml.setType("xml");
        xml.setValue("<a b=\"1\">x,y</a>");
        PGobject none = new PGobject();
        none.setType("hstore");
        assertThat(encode(xml, none, UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")))
                .isEqualTo("\"<a b=\"\"1\"\">x,y</a>\",,a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\n");
    }

    @Test
    void aValueWithNoExactTextFormIsRefusedNotWrittenAsItsToString() {
        assertThatThrownBy(() -> encode(Map.of("a", "b"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.util.", "has no exact text form for PostgreSQL", "PGobject");
    }

    @Test
    void theTextFormOfAValueIsWhatCopyWritesWithoutQuotes() {
        assertThat(CsvEncoder.text(new byte[]{0, (byte) 0xff})).isEqualTo("\\x00ff");
        assertThat(CsvEncoder.text("say \"hi\"")).isEqualTo("say \"hi\"");
        assertThat(CsvEncoder.text(OffsetDateTime.MAX)).isEqualTo("infinity");
        assertThat(CsvEncoder.text(LocalDate.of(0, 12, 31))).isEqualTo("0001-12-31 BC");
        assertThat(CsvEncoder.text(null)).isNull();
    }
}
