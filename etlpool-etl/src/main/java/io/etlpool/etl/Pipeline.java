package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.etl.internal.PipelineRunner;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Several streams (each an ordinary {@link EtlJob} with its own target, mode, key, partitioning and column
 * mapping) moved in one run, through one pool per database shared by every stream, under a connection
 * budget per database.
 *
 * <pre>{@code
 * Pipeline pipeline = Pipeline.builder("shop-to-warehouse")
 *         .maxConnections(6)                                   // per database, in total
 *         .stream(EtlJob.builder("orders").source(shop, "SELECT * FROM orders").partitionColumn("id")
 *                 .target(warehouse, "orders"))
 *         .stream(EtlJob.builder("customers").source(shop, "SELECT * FROM customers").partitionColumn("id")
 *                 .target(warehouse, "customers").mode(LoadMode.UPSERT).key("id"))
 *         .build();
 * PipelineResult result = pipeline.run();   // run it again: each stream resumes, exactly once
 * }</pre>
 *
 * <p>The budget: the run never holds more connections of a pool than {@link Builder#maxConnections} (by
 * default the pool's maxSize when the pipeline is built), counting the connections a job holds for its whole
 * run (the lease in the target, the source snapshot) as well as its partitions'. A stream's parallelism is
 * lowered to what fits the budget on its own; a stream that sets none runs its default (one partition per
 * core) times its share of the pipeline's estimated rows, rounded up: one partition at a time unless its
 * table holds more than a core's share of the rows (tables side by side cost the servers less than one
 * table split). Streams start largest first (by the source's own row estimate) as long as what they need
 * fits beside the streams running, and the next waiting stream starts when one ends.
 *
 * <p>Failure isolation: each stream is a job with its own checkpoints and identity. A stream that fails
 * keeps what it committed and does not stop the others; {@link PipelineResult} says which failed and why,
 * and the next {@link #run()} resumes it, while the finished streams do nothing.
 */
public final class Pipeline {

    private final String name;
    private final List<PipelineRunner.Stream> streams;
    private final Integer maxConnections;
    private final PipelineListener listener;

    private Pipeline(Builder b, List<PipelineRunner.Stream> streams) {
        this.name = b.name;
        this.streams = List.copyOf(streams);
        this.maxConnections = b.maxConnections;
        this.listener = b.listener;
    }

    /** A builder of a pipeline with this name. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Runs every stream, each resuming from its checkpoints. Returns once every stream has ended; a stream
     * that failed is in the result (status FAILED, with its error), not an exception. Throws only when the
     * run could not start (a copied table could not be created).
     */
    public PipelineResult run() throws SQLException {
        return PipelineRunner.run(name, streams, maxConnections, listener, false);
    }

    /** Runs every stream from scratch ({@link EtlJob#runFromScratch()} each: see its refusals). */
    public PipelineResult runFromScratch() throws SQLException {
        return PipelineRunner.run(name, streams, maxConnections, listener, true);
    }

    /** Each stream's status, in the order the streams were declared. */
    public Map<String, JobStatus> status() throws SQLException {
        Map<String, JobStatus> out = new LinkedHashMap<>();
        for (PipelineRunner.Stream s : streams) {
            out.put(s.name(), s.probe().status());
        }
        return out;
    }

    /**
     * Removes the checkpoints of one stream, or of every stream when {@code stream} is null, so that it
     * starts from scratch on the next run; returns the partition checkpoints removed per stream.
     */
    public Map<String, Integer> reset(String stream) throws SQLException {
        if (stream != null) {
            job(stream); // refuses an unknown name before anything is removed
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        for (PipelineRunner.Stream s : streams) {
            if (stream == null || s.name().equals(stream)) {
                out.put(s.name(), s.probe().reset());
            }
        }
        return out;
    }

    /** The pipeline's name. */
    public String name() {
        return name;
    }

    /** The streams' names, in the order they were declared. */
    public List<String> streamNames() {
        return streams.stream().map(PipelineRunner.Stream::name).toList();
    }

    /** The job of the stream with this name (its definition; the run builds it with its scheduled parallelism). */
    public EtlJob job(String stream) {
        for (PipelineRunner.Stream s : streams) {
            if (s.name().equals(stream)) {
                return s.probe();
            }
        }
        throw new IllegalArgumentException("pipeline '" + name + "' has no stream '" + stream + "'; its streams are: "
                + String.join(", ", streamNames()));
    }

    @Override
    public String toString() {
        return "Pipeline[" + name + ": " + streams.size() + " streams" + (maxConnections == null ? ""
                : ", at most " + maxConnections + " connections per database") + "]";
    }

    /** Settings of a pipeline; {@link #build()} checks them. */
    public static final class Builder {
        private final String name;
        private final List<EtlJob.Builder> jobs = new ArrayList<>();
        private final List<String> sourceTables = new ArrayList<>();
        private Integer maxConnections;
        private PipelineListener listener = PipelineListener.NONE;

        private Builder(String name) {
            this.name = name;
        }

        /**
         * A stream: a job like any other (its name names the stream). When the pipeline runs, it sets the job's
         * parallelism to what fits the budget (never more than the job's own), its partition count to the
         * job's own (so its identity does not change), and adds its own progress listener beside the job's.
         */
        public Builder stream(EtlJob.Builder job) {
            jobs.add(Objects.requireNonNull(job, "job"));
            sourceTables.add(null);
            return this;
        }

        /**
         * A stream that copies a whole source table ({@code sourceTable}, as written in the job's query). When
         * its job creates its target ({@code createTable(true)}), the pipeline copies the table's definition:
         * the tables are created before any row moves; each table's primary key, unique, exclusion and check
         * constraints and indexes as soon as its stream has loaded (beside the streams still loading; the stream
         * ends once they are built, and fails, naming the constraint, when the target refuses one); the foreign
         * keys, several at once, and the sequences once every such stream is complete. A stream that fails to
         * load gets no keys or indexes in that run; its next run loads the rest and builds them.
         */
        public Builder tableStream(String sourceTable, EtlJob.Builder job) {
            jobs.add(Objects.requireNonNull(job, "job"));
            sourceTables.add(Objects.requireNonNull(sourceTable, "sourceTable"));
            return this;
        }

        /**
         * The most connections the run holds at once in each database (each pool), counting every connection
         * its jobs hold (default: each pool's maxSize when the pipeline is built). The run sizes each pool to
         * this for its duration and gives the earlier size back at the end.
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /** The listener of the streams' progress. */
        public Builder listener(PipelineListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The pipeline, once every stream's job is checked ({@link EtlJob.Builder#build()}), no two streams
         * share a name or a target table, each database has one pool, and every stream fits the budget.
         */
        public Pipeline build() {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a pipeline needs a name");
            }
            if (jobs.isEmpty()) {
                throw new IllegalArgumentException("pipeline '" + name + "' has no streams: add one with stream(...)");
            }
            if (maxConnections != null && maxConnections < 1) {
                throw new IllegalArgumentException("pipeline '" + name + "': maxConnections (" + maxConnections
                        + ") must be at least 1");
            }
            List<PipelineRunner.Stream> streams = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i++) {
                EtlJob.Builder b = jobs.get(i);
                EtlJob probe = b.growPoolForRun(false).build();
                streams.add(new PipelineRunner.Stream(probe.name(), probe, sourceTables.get(i),
                        (parallelism, progress) -> rebuilt(b, probe, parallelism, progress)));
            }
            PipelineRunner.check(name, streams, maxConnections);
            return new Pipeline(this, streams);
        }

        /** The job again, with the scheduled parallelism, its own partition count and the pipeline's listener too. */
        private static EtlJob rebuilt(EtlJob.Builder b, EtlJob probe, int parallelism, ProgressListener progress) {
            synchronized (b) {
                b.parallelism(parallelism).partitions(probe.partitions()).growPoolForRun(false);
                ProgressListener own = probe.listener();
                b.listener(new ProgressListener() {
                    @Override
                    public void progress(ProgressEvent event) {
                        own.progress(event);
                        progress.progress(event);
                    }

                    @Override
                    public void starting(String job, int partitionsDone, int partitions, boolean resumed) {
                        own.starting(job, partitionsDone, partitions, resumed);
                        progress.starting(job, partitionsDone, partitions, resumed);
                    }
                });
                try {
                    return b.build();
                } finally {
                    b.listener(own);
                }
            }
        }
    }
}
