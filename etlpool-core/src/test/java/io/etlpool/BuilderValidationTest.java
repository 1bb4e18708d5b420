package io.etlpool;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuilderValidationTest {

    private static EtlPoolBuilder valid() {
        return EtlPool.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:1/x").password("hunter2");
    }

    @Test
    void namesTheSettingAndItsValue() {
        assertThatThrownBy(() -> valid().minSize(12).maxSize(10).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("minSize (12) must not exceed maxSize (10)");
        assertThatThrownBy(() -> valid().maxSize(0).build()).hasMessage("maxSize (0) must be at least 1");
        assertThatThrownBy(() -> valid().minSize(-1).build()).hasMessage("minSize (-1) must not be negative");
        assertThatThrownBy(() -> valid().connectionTimeout(Duration.ofSeconds(-1)).build())
                .hasMessage("connectionTimeout (PT-1S) must not be negative");
        assertThatThrownBy(() -> valid().maxWaiting(-3).build()).hasMessageContaining("maxWaiting (-3)");
        assertThatThrownBy(() -> valid().transactionAttempts(0).build()).hasMessageContaining("transactionAttempts (0)");
        assertThatThrownBy(() -> valid().transactionIsolation(77).build()).hasMessageContaining("transactionIsolation (77)");
        assertThatThrownBy(() -> valid().validationTimeout(Duration.ZERO).build()).hasMessageContaining("validationTimeout");
    }

    @Test
    void needsExactlyOneSourceOfConnections() {
        assertThatThrownBy(() -> EtlPool.builder().build()).hasMessageContaining("no jdbcUrl and no dataSource");
        assertThatThrownBy(() -> EtlPool.builder().jdbcUrl("postgresql://h/db").build())
                .hasMessageContaining("must start with jdbc:");
    }

    @Test
    void theConfigNeverShowsThePassword() {
        PoolConfig config = valid().username("etl").property("password", "hunter2").validate();
        assertThat(config.toString()).doesNotContain("hunter2").contains("password=****").contains("username=etl");
    }

    @Test
    void aPasswordInABadJdbcUrlIsNotEchoed() {
        assertThatThrownBy(() -> EtlPool.builder().jdbcUrl("postgresql://h/db?user=etl&password=hunter2").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with jdbc:")
                .hasMessageContaining("password=****")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> EtlPool.builder().jdbcUrl("postgresql://etl:hunter2@h/db").build())
                .hasMessageNotContaining("hunter2");
    }
}
