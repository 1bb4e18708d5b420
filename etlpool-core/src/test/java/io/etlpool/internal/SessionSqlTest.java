package io.etlpool.internal;

import org.junit.jupiter.api.Test;

import static io.etlpool.internal.SessionSql.CLEAN;
import static io.etlpool.internal.SessionSql.SESSION;
import static io.etlpool.internal.SessionSql.SETTINGS;
import static io.etlpool.internal.SessionSql.classify;
import static org.assertj.core.api.Assertions.assertThat;

class SessionSqlTest {

    @Test
    void seesStatementsThatChangeTheSession() {
        assertThat(classify("SET statement_timeout = 0")).isEqualTo(SETTINGS);
        assertThat(classify("  \n set search_path TO x")).isEqualTo(SETTINGS);
        assertThat(classify("RESET work_mem")).isEqualTo(SETTINGS);
        assertThat(classify("SET ROLE reporting")).isEqualTo(SESSION);
        assertThat(classify("set session authorization bob")).isEqualTo(SESSION);
        assertThat(classify("PREPARE q AS SELECT 1")).isEqualTo(SESSION);
        assertThat(classify("LISTEN jobs")).isEqualTo(SESSION);
        assertThat(classify("DECLARE c CURSOR WITH HOLD FOR SELECT 1")).isEqualTo(SESSION);
        assertThat(classify("CREATE TEMP TABLE t(x int)")).isEqualTo(SESSION);
        assertThat(classify("create local temporary table t(x int)")).isEqualTo(SESSION);
        assertThat(classify("SELECT set_config('search_path', 'etl', false)")).isEqualTo(SETTINGS);
        assertThat(classify("select  pg_catalog.set_config ('work_mem', '8MB', false)")).isEqualTo(SETTINGS);
        assertThat(classify("SELECT (set_config('a.b', 'c', false))")).isEqualTo(SETTINGS);
        assertThat(classify("SELECT(set_config('a.b', 'c', false))")).isEqualTo(SETTINGS);
        assertThat(classify("select \n  set_config('a.b', 'c', false)")).isEqualTo(SETTINGS);
    }

    @Test
    void ordinarySqlIsClean() {
        assertThat(classify("SELECT 1")).isEqualTo(CLEAN);
        assertThat(classify("INSERT INTO settings VALUES (1)")).isEqualTo(CLEAN);
        assertThat(classify("SETTLE")).isEqualTo(CLEAN);
        assertThat(classify("CREATE TABLE temp(x int)")).isEqualTo(CLEAN);
        assertThat(classify("UPDATE t SET x = 1")).isEqualTo(CLEAN);
        assertThat(classify("SELECT set_configuration FROM t")).isEqualTo(CLEAN);
        assertThat(classify("SELECT set_config_count, x FROM t")).isEqualTo(CLEAN);
        assertThat(classify("SELECT 1")).isEqualTo(CLEAN);
        assertThat(classify("SELECT")).isEqualTo(CLEAN);
        assertThat(classify("SELECTED")).isEqualTo(CLEAN);
        assertThat(classify("SELECT x")).isEqualTo(CLEAN);
        assertThat(classify("SHOW search_path")).isEqualTo(CLEAN);
        assertThat(classify("SELECT pg_sleep(1)")).isEqualTo(CLEAN);
        assertThat(classify("")).isEqualTo(CLEAN);
        assertThat(classify(null)).isEqualTo(CLEAN);
    }
}
