package io.etlpool.cli;

import io.etlpool.EtlPool;
import io.etlpool.etl.EtlJob;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;

/** A command on one job file's job: reads the file (exit 2 when it is bad), opens both pools, runs {@link #on}. */
abstract class JobFileCommand implements Callable<Integer> {

    @Parameters(paramLabel = "JOB_FILE", description = "the job file (YAML)")
    Path file;

    /** What the command does; its output goes to stdout. */
    abstract void on(JobFile file, EtlJob job) throws SQLException;

    /** For the error line: "status", "reset". */
    abstract String verb();

    /** The command on a pipeline file (a job file with {@code streams:}). */
    abstract int onPipeline();

    @Override
    public Integer call() {
        if (PipelineFileParser.isPipeline(file)) {
            return onPipeline();
        }
        JobFile job;
        try {
            job = JobFileParser.read(file, System::getenv);
        } catch (JobFileException e) {
            System.err.println("etlpool: " + e.getMessage());
            return Main.USAGE;
        }
        try (EtlPool source = JobBuilder.pool(job.name + "-source", job.source, null);
             EtlPool target = JobBuilder.pool(job.name + "-target", job.target, null)) {
            on(job, JobBuilder.builder(job, source, target).build());
            return Main.OK;
        } catch (IllegalArgumentException e) {
            System.err.println("etlpool: " + file.getFileName() + ": " + e.getMessage());
            return Main.USAGE;
        } catch (SQLException e) {
            System.err.println("etlpool: " + verb() + " of job '" + job.name + "' failed: " + e.getMessage());
            return Main.FAILED;
        }
    }
}
