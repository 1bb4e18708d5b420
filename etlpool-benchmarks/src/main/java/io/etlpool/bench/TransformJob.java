package io.etlpool.bench;

import io.etlpool.EtlPool;
import io.etlpool.etl.EtlJob;
import io.etlpool.etl.JobResult;
import io.etlpool.etl.RowTransform;

/**
 * A short program as a user would write it: one table copied by an etlpool job with a trivial Java
 * transform (every record passed on as it is, through the job's decoded rows), with the CLI's defaults
 * otherwise (pools of maxSize 8, default partitions and parallelism). scripts/bench-etl-compare.sh runs
 * it as its {@code etlpool-transform} tool, a fresh JVM per run, like {@code ./etlpool run}.
 *
 * <pre>java -cp benchmarks.jar io.etlpool.bench.TransformJob sourceUrl targetUrl user table jobName</pre>
 */
public final class TransformJob {
    private TransformJob() {
    }

    public static void main(String[] a) throws Exception {
        if (a.length != 5) {
            System.err.println("usage: TransformJob sourceUrl targetUrl user table jobName");
            System.exit(2);
        }
        String user = a[2];
        String table = a[3];
        try (EtlPool source = EtlPool.builder().jdbcUrl(a[0]).username(user).maxSize(8).registerMBean(false).build();
             EtlPool target = EtlPool.builder().jdbcUrl(a[1]).username(user).maxSize(8).registerMBean(false).build()) {
            JobResult result = EtlJob.builder(a[4]).source(source, "SELECT * FROM " + table).partitionColumn("id")
                    .target(target, table).transform(RowTransform.map(r -> r)).build().run();
            System.out.println(result.rowsWritten() + " rows, path: " + result.path());
        }
    }
}
