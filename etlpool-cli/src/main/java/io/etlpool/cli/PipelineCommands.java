package io.etlpool.cli;

import io.etlpool.etl.JobStatus;
import io.etlpool.etl.PipelineListener;
import io.etlpool.etl.PipelineResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** {@code run}, {@code status} and {@code reset} of a pipeline file (a job file with {@code streams:}). */
final class PipelineCommands {

    private PipelineCommands() {
    }

    interface Work {
        int on(PipelineSetup setup) throws SQLException, IOException;
    }

    /** Opens the pipeline and does the work, mapping what went wrong to the exit codes. */
    static int with(Path file, PipelineListener listener, Duration wait, WaitHistogram waits, String verb, Work work) {
        try (PipelineSetup setup = PipelineSetup.open(file, System::getenv, listener, wait, waits)) {
            return work.on(setup);
        } catch (JobFileException e) {
            System.err.println("etlpool: " + e.getMessage());
            return Main.USAGE;
        } catch (IllegalArgumentException e) {
            System.err.println("etlpool: " + file.getFileName() + ": " + e.getMessage() + ". Nothing was moved.");
            return Main.USAGE;
        } catch (SQLException e) {
            if (io.etlpool.etl.JobDefinitionException.in(e)) {
                // found on the databases, before any stream started: a bad file, as for errors found reading it
                System.err.println("etlpool: " + file.getFileName() + ": " + e.getMessage() + ". Nothing was moved.");
                return Main.USAGE;
            }
            System.err.println("etlpool: " + verb + " of pipeline " + file.getFileName() + " failed: " + e.getMessage());
            return Main.FAILED;
        } catch (IOException e) {
            System.err.println("etlpool: " + verb + " of pipeline " + file.getFileName() + " failed: " + e.getMessage());
            return Main.FAILED;
        }
    }

    static int run(Path file, boolean restart, Path report, boolean quiet, Duration wait) {
        WaitHistogram waits = new WaitHistogram();
        PipelineProgress progress = new PipelineProgress(System.out, System.console() != null, quiet);
        return with(file, progress, wait, waits, "run", setup -> {
            progress.setup(setup);
            Thread onSignal = new Thread(() -> {
                progress.finish();
                System.err.println(progress.interrupted(file.toString()));
                System.err.flush();
            }, "etlpool-signal");
            Runtime.getRuntime().addShutdownHook(onSignal);
            PipelineResult result;
            try {
                result = restart ? setup.pipeline.runFromScratch() : setup.pipeline.run();
            } finally {
                RunCommand.removeHook(onSignal);
            }
            progress.finish();
            PipelineSummary.print(System.out, result, setup, waits);
            if (report != null) {
                Files.writeString(report, result.toJson());
            }
            if (!result.failed()) {
                return Main.OK;
            }
            for (PipelineResult.StreamResult s : result.failedStreams()) {
                System.err.println("etlpool: stream '" + setup.shortName(s.stream()) + "' " + (s.status()
                        == PipelineResult.Status.FAILED ? "failed: " : "did not run: ") + s.error());
            }
            System.err.printf(Locale.ROOT, "etlpool: %d of %d streams did not finish; what every stream committed stays. "
                    + "Run 'etlpool run %s' again: the finished streams do nothing, the others resume.%n",
                    result.failedStreams().size(), result.streams().size(), file);
            return Main.FAILED;
        });
    }

    static int status(Path file) {
        return with(file, PipelineListener.NONE, Duration.ZERO, null, "status", setup -> {
            Map<String, JobStatus> all = setup.pipeline.status();
            System.out.println("Pipeline '" + setup.file.name + "': " + all.size() + " streams, at most "
                    + setup.file.maxConnections + " connections per database");
            System.out.printf(Locale.ROOT, "  %-24s %-12s %15s %11s  %s%n", "stream", "state", "rows committed",
                    "partitions", "last run");
            for (Map.Entry<String, JobStatus> e : all.entrySet()) {
                JobStatus s = e.getValue();
                long rows = s.partitions().stream().mapToLong(JobStatus.Checkpoint::rowsDone).sum();
                long done = s.partitions().stream().filter(JobStatus.Checkpoint::done).count();
                Instant last = s.partitions().stream().map(JobStatus.Checkpoint::updatedAt).filter(Objects::nonNull)
                        .max(Instant::compareTo).orElse(null);
                String state = s.partitions().isEmpty() ? "not started" : s.finished() ? "done" : "in progress";
                System.out.printf(Locale.ROOT, "  %-24s %-12s %,15d %11s  %s%n", setup.shortName(e.getKey()), state, rows,
                        s.partitions().isEmpty() ? "-" : done + "/" + s.partitions().size(), last == null ? "-" : last);
                JobStatus.Increment inc = s.increment();
                if (inc != null) {
                    System.out.println("    incremental on " + inc.cursor() + ": watermark " + (inc.watermark() == null
                            ? "none yet" : inc.watermark()) + "; increment " + inc.number() + " [" + (inc.readFrom() == null
                            ? "first row" : inc.readFrom()) + ", " + (inc.readTo() == null ? "-" : inc.readTo()) + ") "
                            + (inc.done() ? "done" : "in progress"));
                }
                if (!s.matches()) {
                    System.out.println("    checkpoints do NOT match this file: " + String.join("; ", s.changes())
                            + "; run 'etlpool reset " + file + " --stream " + setup.shortName(e.getKey()) + "' to start it over");
                }
                if (s.leaseHolder() != null) {
                    System.out.println("    running now: " + s.leaseHolder());
                }
            }
            return Main.OK;
        });
    }

    static int reset(Path file, String stream) {
        return with(file, PipelineListener.NONE, Duration.ZERO, null, "reset", setup -> {
            String job = null;
            if (stream != null) {
                job = setup.pipeline.streamNames().contains(stream) ? stream : setup.file.name + "." + stream;
                if (!setup.pipeline.streamNames().contains(job)) {
                    System.err.println("etlpool: " + file.getFileName() + " has no stream '" + stream + "'; its streams: "
                            + String.join(", ", setup.pipeline.streamNames().stream().map(setup::shortName).toList()));
                    return Main.USAGE;
                }
            }
            Map<String, Integer> removed = setup.pipeline.reset(job);
            for (Map.Entry<String, Integer> e : removed.entrySet()) {
                System.out.println("Stream '" + setup.shortName(e.getKey()) + "': " + (e.getValue() == 0
                        ? "had no checkpoints" : "removed the checkpoints of " + e.getValue() + " partition(s)")
                        + "; its next run starts from scratch (the rows already in "
                        + setup.pipeline.job(e.getKey()).table() + " stay).");
            }
            return Main.OK;
        });
    }
}
