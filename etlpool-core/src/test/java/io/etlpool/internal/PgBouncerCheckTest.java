package io.etlpool.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The verdict on what pg_prepared_statements holds (the probe itself runs in PgBouncerTest). */
class PgBouncerCheckTest {

    @Test
    void pgBouncersOwnNamesMeanItTracksPreparedStatements() {
        assertThat(PgBouncerCheck.verdict(List.of("PGBOUNCER_17"))).isEqualTo(PgBouncerCheck.Verdict.TRACKED);
        assertThat(PgBouncerCheck.verdict(List.of("PGBOUNCER_3", "PGBOUNCER_9"))).isEqualTo(PgBouncerCheck.Verdict.TRACKED);
    }

    @Test
    void theDriversNamesMeanItDoesNot() {
        assertThat(PgBouncerCheck.verdict(List.of("S_1"))).isEqualTo(PgBouncerCheck.Verdict.NOT_TRACKED);
        assertThat(PgBouncerCheck.verdict(List.of("S_1", "S_2"))).isEqualTo(PgBouncerCheck.Verdict.NOT_TRACKED);
    }

    @Test
    void noNamedStatementLeavesNothingToCheck() {
        assertThat(PgBouncerCheck.verdict(List.of())).isEqualTo(PgBouncerCheck.Verdict.NOTHING_NAMED);
    }
}
