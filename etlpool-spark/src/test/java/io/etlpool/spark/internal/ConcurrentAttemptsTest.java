package io.etlpool.spark.internal;

import io.etlpool.spark.ExecutorPools;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two attempts of one partition at once (a task and its speculative duplicate) cannot both commit: the
 * second one's claim waits on the first one's checkpoint row, then finds it committed and writes nothing.
 * The attempts are driven by hand, so the interleaving is exact rather than left to Spark's scheduler.
 */
@PostgresTest
class ConcurrentAttemptsTest {

    private static final StructType SCHEMA = new StructType().add("id", DataTypes.LongType)
            .add("amount", DataTypes.LongType).add("name", DataTypes.StringType);

    @AfterEach
    void closePools() {
        ExecutorPools.shared().closeIdle();
    }

    private static GenericInternalRow row(long id) {
        return new GenericInternalRow(new Object[] {id, id * 3 + 1, UTF8String.fromString("row-" + id)});
    }

    @Test
    void aSpeculativeDuplicateWaitsForTheFirstAttemptAndWritesNothing(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id bigint, amount bigint, name text)");
            Map<String, String> raw = new HashMap<>();
            raw.put("url", db.jdbcUrl());
            raw.put("user", db.user());
            raw.put("password", db.password());
            raw.put("budget", "3");
            raw.put("poolIdleCloseMs", "0");
            raw.put("table", "orders");
            raw.put("jobId", "speculative");
            Options o = Options.of(raw);
            WriteSpec spec = WriteSpec.of(o, Budget.of(o, new SparkConf(false).set("spark.master", "local[2]")), SCHEMA,
                    false, "unused");
            WritePlan.prepare(spec, SCHEMA, 1);

            PartitionWriter first = new PartitionWriter(spec, 0);
            for (long id = 0; id < 5_000; id++) {
                first.write(row(id));
            }
            // the duplicate starts while the first attempt's transaction is open
            CompletableFuture<PartitionCommit> second = CompletableFuture.supplyAsync(() -> {
                PartitionWriter w = new PartitionWriter(spec, 0);
                try {
                    for (long id = 0; id < 10_000; id++) {
                        w.write(row(id));
                    }
                    return (PartitionCommit) w.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    w.close();
                }
            });
            awaitClaimWaitingOnALock(s);
            for (long id = 5_000; id < 10_000; id++) {
                first.write(row(id));
            }
            PartitionCommit committed = (PartitionCommit) first.commit();
            first.close();

            PartitionCommit duplicate = second.get(60, TimeUnit.SECONDS);
            assertThat(committed.alreadyWritten()).isFalse();
            assertThat(duplicate.alreadyWritten()).isTrue();
            assertThat(duplicate.rows()).isEqualTo(10_000);
            try (ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT id) FROM orders")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(10_000);
                assertThat(rs.getLong(2)).isEqualTo(10_000);
            }
        }
    }

    private static void awaitClaimWaitingOnALock(Statement s) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO%etlpool_spark_checkpoint%'")) {
                rs.next();
                if (rs.getLong(1) == 1) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the second attempt never waited on the first one's claim");
    }
}
