package io.etlpool.cli;

import io.etlpool.EtlPool;
import io.etlpool.etl.EtlJob;
import io.etlpool.etl.internal.ConnectionBudget;

import java.sql.SQLException;
import java.util.Map;

/** A job file made into pools and an {@link EtlJob.Builder}: what run, status and reset share. */
final class JobBuilder {

    private JobBuilder() {
    }

    static EtlJob.Builder builder(JobFile job, EtlPool source, EtlPool target) {
        EtlJob.Builder b = EtlJob.builder(job.name).source(source, job.query)
                .target(target, job.table).mode(job.mode).method(job.method).createTable(job.createTable)
                .binaryRelay(job.binaryRelay).adaptiveParallelism(job.adaptiveParallelism);
        if (job.chunkSize != null) {
            b.chunkSize(job.chunkSize);
        }
        if (job.parallelism != null) {
            b.parallelism(job.parallelism);
        }
        if (job.partitionColumn != null) {
            b.partitionColumn(job.partitionColumn);
        }
        if (job.partitions != null) {
            b.partitions(job.partitions);
        }
        if (job.fetchSize != null) {
            b.fetchSize(job.fetchSize);
        }
        if (!job.key.isEmpty()) {
            b.key(job.key.toArray(new String[0]));
        }
        if (job.rejectTable != null) {
            b.rejectTable(job.rejectTable);
        }
        if (job.checkpointSchema != null) {
            b.checkpointSchema(job.checkpointSchema);
        }
        b.maxRejects(job.maxRejects).maxRejectsPercent(job.maxRejectsPercent);
        job.columns.forEach(b::column);
        if (job.incremental != null) {
            b.incremental(job.incremental);
        }
        return b;
    }

    /**
     * Lets the pool open, side by side in the background, the connections a run of the job holds at once
     * ({@code ConnectionBudget.demand}: one per stream, and the lease or the source snapshot), unless the
     * job file set the pool's minSize:
     * the run's borrowers then find them open instead of each waiting for a login.
     */
    static void openAhead(EtlPool pool, JobFile.Side side, int connections) {
        if (!side.minSizeSet) {
            pool.resize(Math.min(connections, side.maxSize), side.maxSize);
        }
    }

    /**
     * The connections a run of the job holds at once in each pool: a stream per partition, at most its
     * parallelism (as the run starts them), and the lease or the source snapshot.
     */
    static Map<EtlPool, Integer> heldByRun(EtlJob etl) {
        return ConnectionBudget.demand(etl, Math.min(etl.parallelism(), etl.partitions()));
    }

    static EtlPool pool(String name, JobFile.Side side, io.etlpool.PoolListener listener) throws SQLException {
        io.etlpool.EtlPoolBuilder b = EtlPool.builder().name(name).jdbcUrl(side.url).username(side.user)
                .password(side.password).minSize(side.minSize).maxSize(side.maxSize).registerMBean(false);
        if (listener != null) {
            b.listener(listener);
        }
        return b.build();
    }
}
