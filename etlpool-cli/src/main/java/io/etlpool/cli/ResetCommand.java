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
                + afterReset(etl.mode(), job.table) + ".");
    }

    /** What happens to the rows already in the target when a reset job runs again, by its mode. */
    static String afterReset(io.etlpool.etl.LoadMode mode, String table) {
        switch (mode) {
            case TRUNCATE_INSERT:
            case FULL_REFRESH:
                return " (it empties " + table + " first, as every run of this mode does)";
            case UPSERT:
                return " (it merges into the rows already in " + table + " by key)";
            default:
                return " (the rows already in " + table + " stay: empty the table first, or use mode truncate-insert)";
        }
    }

    @Override
    String verb() {
        return "reset";
    }
}
