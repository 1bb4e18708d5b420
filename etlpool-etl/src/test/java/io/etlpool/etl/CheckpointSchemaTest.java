package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A least-privilege target user who may not create tables in {@code public} (PostgreSQL 15's default for
 * any user but the database owner): told which setting to use, and with {@code checkpointSchema} the job
 * runs with its checkpoints and its lease table in that schema; tables made for the user are used as they are.
 */
@PostgresTest
class CheckpointSchemaTest {

    private static String leastPrivilegeRole(TestDatabase db) throws Exception {
        String role = "etl_" + Integer.toHexString(db.name().hashCode());
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'etl-pw'");
            s.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            EtlFixtures.createSource(c, "src", 2000);
            EtlFixtures.createTarget(c, "dst");
            s.execute("GRANT SELECT ON src TO " + role);
            s.execute("GRANT SELECT, INSERT ON dst TO " + role);
        }
        return role;
    }

    private static EtlPool pool(TestDatabase db, String role) throws Exception {
        return EtlPool.builder().jdbcUrl(db.jdbcUrl()).username(role).password("etl-pw").maxSize(3)
                .closeGracePeriod(Duration.ofSeconds(2)).build();
    }

    @Test
    void aCheckpointTableMadeForTheUserIsUsedWithoutCreatePrivilege(TestDatabase db) throws Exception {
        String role = leastPrivilegeRole(db);
        try (EtlPool owner = EtlFixtures.pool(db, 2); EtlPool user = pool(db, role); Connection c = db.connect();
             Statement s = c.createStatement()) {
            // the owner makes etlpool's tables once (any job does) and lets the user work in them
            s.execute("CREATE TABLE empty_src (LIKE src)");
            EtlJob.builder("setup").source(owner, "SELECT * FROM empty_src").partitionColumn("id").target(owner, "dst")
                    .build().run();
            s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON etlpool_checkpoint, etlpool_lease TO " + role);

            JobResult result = EtlJob.builder("least-privilege").source(user, "SELECT * FROM src").partitionColumn("id")
                    .partitions(2).target(user, "dst").build().run();
            assertThat(result.rowsWritten()).isEqualTo(2000);
            assertThat(EtlFixtures.checksum(c, "dst")).isEqualTo(EtlFixtures.checksum(c, "src"));
        }
    }

    @Test
    void aUserWhoMayNotCreateInPublicIsToldAboutCheckpointSchemaAndTheSettingWorks(TestDatabase db) throws Exception {
        String role = leastPrivilegeRole(db);
        try (EtlPool pool = pool(db, role); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA etl_state AUTHORIZATION " + role);
            EtlJob.Builder b = EtlJob.builder("least-privilege").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(2).target(pool, "dst");
            assertThatThrownBy(() -> b.build().run()).isInstanceOf(EtlException.class)
                    .hasMessageContaining("cannot create the lease table \"etlpool_lease\" in the first schema "
                            + "of the target's search path (ERROR: permission denied for schema public")
                    .hasMessageContaining("Set checkpointSchema to a schema this user may create tables in");

            JobResult result = b.checkpointSchema("etl_state").build().run();
            assertThat(result.rowsWritten()).isEqualTo(2000);
            assertThat(EtlFixtures.checksum(c, "dst")).isEqualTo(EtlFixtures.checksum(c, "src"));
            assertThat(EtlFixtures.count(c, "etl_state.etlpool_checkpoint")).isEqualTo(2);
            assertThat(EtlFixtures.count(c, "etl_state.etlpool_lease")).isZero(); // the lease's table is there too
        }
    }
}
