package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import static io.etlpool.etl.EtlFixtures.checksum;
import static io.etlpool.etl.EtlFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A COMMIT that outlives the client: the target's socketTimeout (1 s) ends the client's wait while the
 * server still commits (a deferred trigger sleeps 4 s at COMMIT, as a slow synchronous standby would). The
 * retry starts from the checkpoint it can read, which is the old one; the fence (the checkpoint row locked
 * and compared first in each chunk's transaction) makes it re-read instead of loading the chunk again.
 */
@PostgresTest
class FencedCommitTest {

    @Test
    void aCommitThatOutlivesTheClientsSocketTimeoutDoesNotLoadTheChunkTwice(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            EtlFixtures.createSource(c, "src", 10);
            // no primary key in the target, as in a staging table: nothing but the fence can stop a duplicate
            s.execute("CREATE TABLE dst (LIKE src)");
            s.execute("CREATE SEQUENCE slow_once");
            s.execute("CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "IF nextval('slow_once') = 1 THEN PERFORM pg_sleep(4); END IF; RETURN NULL; END $$");
            s.execute("CREATE CONSTRAINT TRIGGER slow AFTER INSERT ON dst DEFERRABLE INITIALLY DEFERRED "
                    + "FOR EACH ROW EXECUTE FUNCTION slow_commit()");
        }
        String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "socketTimeout=1";
        try (EtlPool source = EtlFixtures.pool(db, 2);
             EtlPool target = EtlPool.builder().jdbcUrl(url).username(db.user()).password(db.password()).maxSize(2)
                     .connectionTimeout(Duration.ofSeconds(20)).build();
             Connection c = db.connect()) {
            JobResult result = EtlJob.builder("slow-commit").source(source, "SELECT * FROM src").partitionColumn("id")
                    .partitions(1).chunkSize(4).target(target, "dst").method(LoadMethod.BATCH)
                    .retryBackoff(Duration.ofMillis(50)).maxRetries(30).build().run();

            assertThat(result.retries()).isPositive();
            assertThat(count(c, "dst")).isEqualTo(10);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
            assertThat(result.rowsRead()).as("a chunk read again by a retry counts once").isEqualTo(10);
            assertThat(result.rowsWritten()).isEqualTo(10);
        }
    }
}
