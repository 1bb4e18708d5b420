package io.etlpool.cli;

import io.etlpool.EtlPool;
import io.etlpool.etl.JobStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code etlpool status job.yaml}: the job's checkpoints, whether they are this job's, and who runs it. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a job's checkpoints per partition, whether they match the job file, and who is running it.")
final class StatusCommand implements Callable<Integer> {

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
            JobStatus s = JobBuilder.builder(job, source, target).build().status();
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
            System.out.println("  lease: " + (s.leaseHolder() == null ? "free (no run is running)" : s.leaseHolder()));
            return Main.OK;
        } catch (SQLException e) {
            System.err.println("etlpool: status of job '" + job.name + "' failed: " + e.getMessage());
            return Main.FAILED;
        }
    }
}
