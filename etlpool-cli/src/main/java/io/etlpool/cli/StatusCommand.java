package io.etlpool.cli;

import io.etlpool.etl.EtlJob;
import io.etlpool.etl.JobStatus;
import picocli.CommandLine.Command;

import java.sql.SQLException;
import java.util.Locale;

/** {@code etlpool status job.yaml}: the job's checkpoints, whether they are this job's, and who runs it. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a job's checkpoints per partition (a pipeline's per stream), whether they match the file, and who is running it.")
final class StatusCommand extends JobFileCommand {

    @Override
    void on(JobFile job, EtlJob etl) throws SQLException {
        JobStatus s = etl.status();
        System.out.println("Job '" + job.name + "'");
        if (s.partitions().isEmpty()) {
            System.out.println("  no checkpoints: the next run starts from scratch");
        } else {
            long rows = s.partitions().stream().mapToLong(JobStatus.Checkpoint::rowsDone).sum();
            long done = s.partitions().stream().filter(JobStatus.Checkpoint::done).count();
            System.out.printf(Locale.ROOT, "  %s: %d of %d partitions done, %,d rows committed%n",
                    s.finished() ? "finished" : "not finished", done, s.partitions().size(), rows);
            for (JobStatus.Checkpoint p : s.partitions()) {
                System.out.printf(Locale.ROOT, "  partition %d %s: %s, %,d rows in %d chunks, last key %s, updated %s%n",
                        p.partition(), p.range(), p.done() ? "done" : "in progress", p.rowsDone(), p.chunks(),
                        p.lastKey() == null ? "-" : p.lastKey(), p.updatedAt() == null ? "-" : p.updatedAt());
            }
            if (s.matches()) {
                System.out.println("  checkpoints match this job file");
            } else {
                System.out.println("  checkpoints do NOT match this job file: " + String.join("; ", s.changes())
                        + "; run 'etlpool reset " + file + "' to start over");
            }
        }
        JobStatus.Increment inc = s.increment();
        if (inc != null) {
            System.out.println("  watermark (" + inc.cursor() + "): " + (inc.watermark() == null
                    ? "none yet (no increment completed)" : inc.watermark() + " (rows below it are loaded)"));
            System.out.println("  last increment " + inc.number() + ": [" + (inc.readFrom() == null ? "first row"
                    : inc.readFrom()) + ", " + (inc.readTo() == null ? "no rows yet" : inc.readTo()) + "), "
                    + (inc.done() ? "done " + inc.finishedAt() : "in progress since " + inc.startedAt())
                    + (inc.note() == null ? "" : "; ended by " + inc.note()));
        } else if (job.incremental != null) {
            System.out.println("  watermark (" + job.incremental.cursor() + "): none yet (the job has not run)");
        }
        System.out.println("  lease: " + (s.leaseHolder() == null ? "free (no run is running)" : s.leaseHolder()));
    }

    @Override
    int onPipeline() {
        return PipelineCommands.status(file);
    }

    @Override
    String verb() {
        return "status";
    }
}
