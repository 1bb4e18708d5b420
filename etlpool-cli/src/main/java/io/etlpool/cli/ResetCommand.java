package io.etlpool.cli;

import io.etlpool.EtlPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;

/** {@code etlpool reset job.yaml}: removes the job's checkpoints (not while a run holds its lease). */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = "Remove a job's checkpoints so that its next run starts from scratch (the target's rows stay).")
final class ResetCommand implements Callable<Integer> {

    @Parameters(paramLabel = "JOB_FILE", description = "the job file (YAML)")
    Path file;

    @Override
    public Integer call() {
        JobFile job;
        try {
            job = JobFileParser.read(file, System::getenv);
        } catch (JobFileException e) {
            System.err.println("etlpool: " + e.getMessage());
            return Main.USAGE;
        }
        try (EtlPool source = JobBuilder.pool(job.name + "-source", job.source, null);
             EtlPool target = JobBuilder.pool(job.name + "-target", job.target, null)) {
            int removed = JobBuilder.builder(job, source, target).build().reset();
            System.out.println("Job '" + job.name + "': " + (removed == 0 ? "had no checkpoints"
                    : "removed the checkpoints of " + removed + " partition(s)") + ". The next run starts from scratch"
                    + " (the rows already in " + job.table + " stay: use mode truncate-insert or empty the table first).");
            return Main.OK;
        } catch (SQLException e) {
            System.err.println("etlpool: reset of job '" + job.name + "' failed: " + e.getMessage());
            return Main.FAILED;
        }
    }
}
