package io.etlpool.etl;

import io.etlpool.EtlPool;

/**
 * Runs one job in a child JVM with a small heap ({@link StreamingMemoryTest}). Arguments: JDBC URL, user,
 * source table, target table; the password comes from ETL_TEST_PASSWORD. Exits 0 and prints the rows
 * written when the job succeeds.
 */
public final class StreamingJobMain {

    private StreamingJobMain() {
    }

    public static void main(String[] args) throws Exception {
        try (EtlPool pool = EtlPool.builder().jdbcUrl(args[0]).username(args[1])
                .password(System.getenv("ETL_TEST_PASSWORD")).maxSize(4).build()) {
            JobResult r = EtlJob.builder("stream").source(pool, "SELECT * FROM " + args[2]).partitionColumn("id")
                    .partitions(2).parallelism(2).chunkSize(2_000).fetchSize(1_000).target(pool, args[3]).build().run();
            System.out.println("rowsWritten=" + r.rowsWritten() + " maxHeap=" + Runtime.getRuntime().maxMemory());
        }
    }
}
