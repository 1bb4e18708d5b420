package io.etlpool.etl;

import io.etlpool.EtlPool;

/**
 * The job of {@link CrashRecoveryTest}, run in a child JVM that the test kills with SIGKILL. Arguments:
 * JDBC URL and user, and {@code incremental} for the incremental variant; the password comes from the
 * environment (ETL_TEST_PASSWORD), never the command line.
 */
public final class KillableJobMain {

    private KillableJobMain() {
    }

    public static void main(String[] args) throws Exception {
        try (EtlPool pool = EtlPool.builder().jdbcUrl(args[0]).username(args[1])
                .password(System.getenv("ETL_TEST_PASSWORD")).maxSize(4).build()) {
            EtlJob.Builder job = args.length > 2 && args[2].equals("incremental") ? incrementalCrashTestJob(pool)
                    : crashTestJob(pool);
            job.listener(e -> {
                try {
                    Thread.sleep(40); // slow enough for the test to kill it midway
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }).build().run();
        }
    }

    /** The same job, loading incrementally by its id. */
    static EtlJob.Builder incrementalCrashTestJob(EtlPool pool) {
        return crashTestJob(pool).incremental(Incremental.cursor("id"));
    }

    static EtlJob.Builder crashTestJob(EtlPool pool) {
        return EtlJob.builder("crash").source(pool, "SELECT * FROM src").partitionColumn("id").partitions(4)
                .parallelism(2).chunkSize(1_000).target(pool, "dst").method(LoadMethod.COPY);
    }
}
