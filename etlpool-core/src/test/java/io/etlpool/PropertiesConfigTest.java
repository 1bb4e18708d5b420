package io.etlpool;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@PostgresTest
class PropertiesConfigTest {

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void aPropertiesFileStartsAPool(TestDatabase db, @TempDir Path dir) throws IOException, SQLException {
        Path file = dir.resolve("pool.properties");
        Files.writeString(file, String.join("\n",
                "jdbcUrl=" + db.jdbcUrl(),
                "username=" + db.user(),
                "password=" + db.password(),
                "max-size=3",
                "minSize=0",
                "connectionTimeout=5s",
                "idle-timeout=10m",
                "maxLifetime=PT30M",
                "leakDetectionThreshold=1500",
                "validateAfterIdle=250ms",
                "transactionIsolation=REPEATABLE_READ",
                "property.ApplicationName=from-file",
                "registerMBean=false"), StandardCharsets.ISO_8859_1);
        try (EtlPool pool = EtlPool.builder().properties(file).build()) {
            PoolConfig c = pool.config();
            assertThat(c.maxSize()).isEqualTo(3);
            assertThat(c.minSize()).isZero();
            assertThat(c.connectionTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
            assertThat(c.maxLifetime()).isEqualTo(Duration.ofMinutes(30));
            assertThat(c.leakDetectionThreshold()).isEqualTo(Duration.ofMillis(1500));
            assertThat(c.validateAfterIdle()).isEqualTo(Duration.ofMillis(250));
            assertThat(c.transactionIsolation()).isEqualTo(Connection.TRANSACTION_REPEATABLE_READ);
            try (Connection conn = pool.getConnection(); Statement s = conn.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_setting('application_name')")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("from-file");
            }
        }
    }

    @Test
    void theEnvironmentSetsTheSameSettings() {
        PoolConfig c = EtlPool.builder().environment("ETLPOOL", Map.of(
                "ETLPOOL_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/x",
                "ETLPOOL_MAX_SIZE", "20",
                "ETLPOOL_CONNECTION_TIMEOUT", "2s",
                "ETLPOOL_AUTO_COMMIT", "false",
                "OTHER_MAX_SIZE", "99")).validate();
        assertThat(c.maxSize()).isEqualTo(20);
        assertThat(c.connectionTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.autoCommit()).isFalse();
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:1/x");
    }

    @Test
    void anUnknownKeyIsRefusedWithTheClosestName() {
        assertThatThrownBy(() -> EtlPool.builder().properties(props("maxSzie", "5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting maxSzie in the properties (did you mean maxSize?)");
        assertThatThrownBy(() -> EtlPool.builder().environment("ETLPOOL", Map.of("ETLPOOL_CONECTION_TIMEOUT", "5s")))
                .hasMessageContaining("unknown setting CONECTION_TIMEOUT in the environment (ETLPOOL_CONECTION_TIMEOUT)")
                .hasMessageContaining("did you mean connectionTimeout?");
    }

    @Test
    void valuesAreValidatedWithTheBuildersMessages() {
        Properties p = props("jdbcUrl", "jdbc:postgresql://127.0.0.1:1/x", "minSize", "12", "maxSize", "10");
        assertThatThrownBy(() -> EtlPool.builder().properties(p).build())
                .hasMessage("minSize (12) must not exceed maxSize (10)");
        assertThatThrownBy(() -> EtlPool.builder().properties(props("connectionTimeout", "-1s")).jdbcUrl("jdbc:x:y").build())
                .hasMessage("connectionTimeout (PT-1S) must not be negative");
        assertThatThrownBy(() -> EtlPool.builder().properties(props("connectionTimeout", "soon")))
                .hasMessageContaining("connectionTimeout (soon) is not a duration");
        assertThatThrownBy(() -> EtlPool.builder().properties(props("maxSize", "ten")))
                .hasMessage("maxSize (ten) is not a whole number");
        assertThatThrownBy(() -> EtlPool.builder().properties(props("autoCommit", "yes")))
                .hasMessage("autoCommit (yes) must be true or false");
    }

    @Test
    void thePasswordIsNeverEchoed() {
        assertThatThrownBy(() -> EtlPool.builder().properties(props("pasword", "hunter2")))
                .hasMessageContaining("did you mean password?").hasMessageNotContaining("hunter2");
        PoolConfig c = EtlPool.builder().properties(props("jdbcUrl", "jdbc:x:y", "password", "hunter2")).validate();
        assertThat(c.toString()).doesNotContain("hunter2");
    }

    @Test
    void aMissingFileSaysWhich(@TempDir Path dir) {
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> EtlPool.builder().properties(missing))
                .hasMessageContaining("cannot read pool settings from " + missing);
    }
}
