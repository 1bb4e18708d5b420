package io.etlpool.cli;

import io.etlpool.etl.EtlJob;
import picocli.CommandLine.Command;

import java.sql.SQLException;

/** {@code etlpool reset job.yaml}: removes the job's checkpoints (not while a run holds its lease). */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = "Remove a job's checkpoints so that its next run starts from scratch (the target's rows stay).")
final class ResetCommand extends JobFileCommand {

    @picocli.CommandLine.Option(names = "--stream", paramLabel = "STREAM",
            description = "of a pipeline file: reset only this stream")
    String stream;

    @Override
    int onPipeline() {
        return PipelineCommands.reset(file, stream);
    }

    @Override
    void on(JobFile job, EtlJob etl) throws SQLException {
        if (stream != null) {
            throw new IllegalArgumentException("--stream is for pipeline files (with streams:); this is a job file");
        }
        int removed = etl.reset();
        System.out.println("Job '" + job.name + "': " + (removed == 0 ? "had no checkpoints"
                : "removed the checkpoints of " + removed + " partition(s)") + ". The next run starts from scratch"
                + " (the rows already in " + job.table + " stay: use mode truncate-insert or empty the table first).");
    }

    @Override
    String verb() {
        return "reset";
    }
}
