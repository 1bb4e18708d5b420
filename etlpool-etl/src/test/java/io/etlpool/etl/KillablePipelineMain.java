package io.etlpool.etl;

import io.etlpool.EtlPool;

/**
 * The pipeline of {@link PipelineCrashTest}, run in a child JVM that the test kills with SIGKILL. Arguments:
 * JDBC URL and user; the password comes from the environment (ETL_TEST_PASSWORD), never the command line.
 */
public final class KillablePipelineMain {

    static final int STREAMS = 3;

    private KillablePipelineMain() {
    }

    public static void main(String[] args) throws Exception {
        try (EtlPool pool = EtlPool.builder().jdbcUrl(args[0]).username(args[1])
                .password(System.getenv("ETL_TEST_PASSWORD")).maxSize(8).build()) {
            pipeline(pool, e -> {
                try {
                    Thread.sleep(30); // slow enough for the test to kill it midway
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }).run();
        }
    }

    /** Three streams src0..src2 into dst0..dst2, two partitions each. */
    static Pipeline pipeline(EtlPool pool, ProgressListener listener) {
        Pipeline.Builder b = Pipeline.builder("crashp").maxConnections(8);
        for (int i = 0; i < STREAMS; i++) {
            b.stream(EtlJob.builder("crashp.s" + i).source(pool, "SELECT * FROM src" + i).partitionColumn("id")
                    .partitions(2).parallelism(1).chunkSize(1_000).target(pool, "dst" + i).listener(listener));
        }
        return b.build();
    }
}
