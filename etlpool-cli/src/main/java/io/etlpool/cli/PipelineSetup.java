package io.etlpool.cli;

import io.etlpool.EtlPool;
import io.etlpool.PoolListener;
import io.etlpool.etl.EtlJob;
import io.etlpool.etl.Pipeline;
import io.etlpool.etl.PipelineListener;
import io.etlpool.etl.internal.SourceCatalog;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A pipeline file made into its pools (one per database, {@code maxConnections} each) and its {@link Pipeline}:
 * what run, status and reset of a pipeline file share. Everything that can be refused is refused here, before
 * a row moves.
 */
final class PipelineSetup implements AutoCloseable {

    final PipelineFile file;
    final EtlPool source;
    final EtlPool target;
    final List<PipelineFile.Job> jobs;
    final Pipeline pipeline;

    private PipelineSetup(PipelineFile file, EtlPool source, EtlPool target, List<PipelineFile.Job> jobs,
                          Pipeline pipeline) {
        this.file = file;
        this.source = source;
        this.target = target;
        this.jobs = jobs;
        this.pipeline = pipeline;
    }

    /**
     * Reads the file, opens the pools, resolves table patterns and builds the pipeline. A bad file, a pattern
     * that matches nothing, two streams into one table or a stream the engine refuses is a
     * {@link JobFileException} or an {@link IllegalArgumentException} (exit 2); a database that cannot be
     * reached is an {@link SQLException}.
     */
    static PipelineSetup open(Path path, Function<String, String> environment, PipelineListener listener,
                              Duration waitForLease, PoolListener poolListener) throws JobFileException, SQLException {
        PipelineFile file = PipelineFileParser.read(path, environment);
        boolean oneDatabase = file.source.url.equals(file.target.url) && Objects.equals(file.source.user, file.target.user);
        EtlPool source = JobBuilder.pool(oneDatabase ? file.name : file.name + "-source", sized(file.source, file),
                poolListener);
        EtlPool target = source;
        try {
            if (!oneDatabase) {
                target = JobBuilder.pool(file.name + "-target", sized(file.target, file), poolListener);
            }
            List<SourceCatalog.Table> catalog = List.of();
            if (file.streams.stream().anyMatch(s -> !s.tables.isEmpty())) {
                try (Connection c = source.getConnection()) {
                    catalog = SourceCatalog.tables(c);
                } catch (SQLException e) {
                    throw new SQLException("could not read the source's tables for the 'tables' patterns (they need a "
                            + "PostgreSQL source): " + e.getMessage(), e.getSQLState(), e);
                }
            }
            List<PipelineFile.Job> jobs = new PipelineFileParser(path.getFileName().toString(), environment)
                    .expand(file, catalog);
            Pipeline.Builder b = Pipeline.builder(file.name).maxConnections(file.maxConnections).listener(listener);
            for (PipelineFile.Job job : jobs) {
                EtlJob.Builder stream = JobBuilder.builder(job.file(), source, target).waitForLease(waitForLease);
                if (job.sourceTable() != null) {
                    b.tableStream(job.sourceTable(), stream);
                } else {
                    b.stream(stream);
                }
            }
            return new PipelineSetup(file, source, target, jobs, b.build());
        } catch (JobFileException | SQLException | RuntimeException e) {
            if (target != source) {
                target.close();
            }
            source.close();
            throw e;
        }
    }

    /** The side's connection with a pool of maxConnections (the budget), opening one connection at first. */
    private static JobFile.Side sized(JobFile.Side side, PipelineFile file) {
        JobFile.Side s = new JobFile.Side();
        s.url = side.url;
        s.user = side.user;
        s.password = side.password;
        s.minSize = 1;
        s.maxSize = file.maxConnections;
        return s;
    }

    /** A stream's short name (without the pipeline's prefix). */
    String shortName(String stream) {
        return PipelineFileParser.streamName(file.name, stream);
    }

    @Override
    public void close() {
        try {
            if (target != source) {
                target.close();
            }
        } finally {
            source.close();
        }
    }
}
