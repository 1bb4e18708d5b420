package io.etlpool.cli;

import io.etlpool.EtlPool;
import io.etlpool.etl.EtlJob;
import io.etlpool.etl.JobResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;

/** {@code etlpool run job.yaml}: runs a job file, resuming from its checkpoints. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a job file (resumes where it stopped).")
final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "JOB_FILE", description = "the job file (YAML)")
    Path file;

    @Option(names = "--restart", description = "ignore checkpoints and start from scratch")
    boolean restart;

    @Option(names = "--report", paramLabel = "FILE", description = "write the result as JSON to this file")
    Path report;

    @Option(names = "--quiet", description = "no progress, only errors and the summary")
    boolean quiet;

    @Override
    public Integer call() {
        JobFile job;
        try {
            job = JobFileParser.read(file, System::getenv);
        } catch (JobFileException e) {
            System.err.println("etlpool: " + e.getMessage());
            return Main.USAGE;
        }
        WaitHistogram waits = new WaitHistogram();
        try (EtlPool source = pool(job.name + "-source", job.source, waits);
             EtlPool target = pool(job.name + "-target", job.target, waits)) {
            Progress progress = new Progress(System.out, System.console() != null, 0);
            EtlJob.Builder b = EtlJob.builder(job.name).source(source, job.query)
                    .target(target, job.table).mode(job.mode).method(job.method).createTable(job.createTable)
                    .parallelism(job.parallelism).chunkSize(job.chunkSize);
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
            job.columns.forEach(b::column);
            if (!quiet) {
                b.listener(progress);
            }
            EtlJob etl;
            try {
                etl = b.build();
            } catch (IllegalArgumentException e) {
                System.err.println("etlpool: " + file.getFileName() + ": " + e.getMessage());
                return Main.USAGE;
            }
            JobResult result = restart ? etl.runFromScratch() : etl.run();
            progress.finish();
            Summary.print(System.out, result, waits);
            if (report != null) {
                Files.writeString(report, result.toJson());
            }
            return Main.OK;
        } catch (SQLException e) {
            System.err.println("etlpool: job '" + job.name + "' failed: " + e.getMessage());
            return Main.FAILED;
        } catch (IOException e) {
            System.err.println("etlpool: could not write the report " + report + ": " + e.getMessage());
            return Main.FAILED;
        }
    }

    private static EtlPool pool(String name, JobFile.Side side, WaitHistogram waits) throws SQLException {
        return EtlPool.builder().name(name).jdbcUrl(side.url).username(side.user).password(side.password)
                .minSize(side.minSize).maxSize(side.maxSize).registerMBean(false).listener(waits).build();
    }
}
