package io.etlpool.etl.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which target types hold a source type's every value unchanged. */
class TypeFitTest {

    @Test
    void theSameOrAWiderTypeOfTheSameKindFits() {
        assertThat(TypeFit.fits("numeric(12,2)", "numeric(12,2)")).isTrue();
        assertThat(TypeFit.fits("numeric(12,2)", "numeric(14,2)")).isTrue();
        assertThat(TypeFit.fits("numeric(12,2)", "numeric")).isTrue();
        assertThat(TypeFit.fits("character varying(40)", "character varying(41)")).isTrue();
        assertThat(TypeFit.fits("character varying(40)", "text")).isTrue();
        assertThat(TypeFit.fits("character varying(40)", "character varying")).isTrue();
        assertThat(TypeFit.fits("smallint", "integer")).isTrue();
        assertThat(TypeFit.fits("integer", "bigint")).isTrue();
        assertThat(TypeFit.fits("bigint", "numeric")).isTrue();
        assertThat(TypeFit.fits("timestamp(3) with time zone", "timestamp with time zone")).isTrue();
        assertThat(TypeFit.fits("timestamp(3) with time zone", "timestamp(6) with time zone")).isTrue();
        assertThat(TypeFit.fits("time(0) without time zone", "time without time zone")).isTrue();
        assertThat(TypeFit.fits("shop.status[]", "shop.status[]")).isTrue();
    }

    @Test
    void whatRoundsCutsPadsOrPrintsDifferentlyDoesNot() {
        assertThat(TypeFit.fits("numeric(12,2)", "numeric(10,2)")).isFalse();
        assertThat(TypeFit.fits("numeric(12,2)", "numeric(14,4)")).as("1.50 would read 1.5000").isFalse();
        assertThat(TypeFit.fits("numeric", "numeric(12,2)")).isFalse();
        assertThat(TypeFit.fits("character varying(40)", "character varying(20)")).isFalse();
        assertThat(TypeFit.fits("character(5)", "text")).as("the padding would go").isFalse();
        assertThat(TypeFit.fits("character(5)", "character")).as("character is character(1)").isFalse();
        assertThat(TypeFit.fits("bigint", "integer")).isFalse();
        assertThat(TypeFit.fits("real", "double precision")).as("0.1 prints as 0.100000001490116").isFalse();
        assertThat(TypeFit.fits("timestamp with time zone", "timestamp without time zone")).isFalse();
        assertThat(TypeFit.fits("timestamp(6) with time zone", "timestamp(3) with time zone")).isFalse();
        assertThat(TypeFit.fits("text", "shop.status")).isFalse();
        assertThat(TypeFit.fits("integer[]", "bigint[]")).isFalse();
        assertThat(TypeFit.fits("timestamp with time zone", "timestamp(3) with time zone")).isFalse();
    }
}
