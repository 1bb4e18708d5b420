package io.etlpool.cli;

import io.etlpool.EtlPool;
import io.etlpool.etl.EtlJob;
import io.etlpool.etl.JobDefinitionException;
import io.etlpool.etl.JobFailedException;
import io.etlpool.etl.JobResult;
import io.etlpool.etl.ProgressListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code etlpool run job.yaml}: runs a job file, resuming from its checkpoints. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a job or pipeline file (resumes where it stopped).")
final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "JOB_FILE", description = "the job file (YAML)")
    Path file;

    @Option(names = "--restart", description = "ignore checkpoints and start from scratch")
    boolean restart;

    @Option(names = "--report", paramLabel = "FILE", description = "write the result as JSON to this file (also when the run fails)")
    Path report;

    @Option(names = "--quiet", description = "no progress, only errors and the summary")
    boolean quiet;

    @Option(names = "--wait", arity = "0..1", paramLabel = "TIME", fallbackValue = "forever",
            description = "when another run of this job is running, wait for it to end (optionally at most TIME: 30s, 10m, 2h) instead of refusing")
    String waitFor;

    @Override
    public Integer call() {
        if (PipelineFileParser.isPipeline(file)) {
            try {
                return PipelineCommands.run(file, restart, report, quiet, waitTime(waitFor));
            } catch (IllegalArgumentException e) {
                System.err.println("etlpool: " + e.getMessage());
                return Main.USAGE;
            }
        }
        JobFile job;
        Duration wait;
        try {
            job = JobFileParser.read(file, System::getenv);
            wait = waitTime(waitFor);
        } catch (JobFileException e) {
            System.err.println("etlpool: " + e.getMessage());
            return Main.USAGE;
        } catch (IllegalArgumentException e) {
            System.err.println("etlpool: " + e.getMessage());
            return Main.USAGE;
        }
        WaitHistogram waits = new WaitHistogram();
        try (EtlPool source = JobBuilder.pool(job.name + "-source", job.source, waits);
             EtlPool target = JobBuilder.pool(job.name + "-target", job.target, waits)) {
            Progress progress = new Progress(System.out, System.console() != null, 0);
            RunWatch watch = new RunWatch(System.out, quiet ? ProgressListener.NONE : progress);
            EtlJob etl;
            try {
                etl = JobBuilder.builder(job, source, target).listener(watch).waitForLease(wait).build();
            } catch (IllegalArgumentException e) {
                System.err.println("etlpool: " + file.getFileName() + ": " + e.getMessage());
                return Main.USAGE;
            }
            Map<EtlPool, Integer> held = JobBuilder.heldByRun(etl);
            JobBuilder.openAhead(source, job.source, held.get(source));
            JobBuilder.openAhead(target, job.target, held.get(target));
            Thread onSignal = new Thread(() -> {
                progress.finish();
                System.err.println(watch.interrupted(file.toString()));
                System.err.flush();
            }, "etlpool-signal");
            Runtime.getRuntime().addShutdownHook(onSignal);
            JobResult result;
            try {
                result = restart ? etl.runFromScratch() : etl.run();
            } catch (JobFailedException e) {
                progress.finish();
                writeReport(e.result());
                throw e;
            } finally {
                removeHook(onSignal);
            }
            progress.finish();
            Summary.print(System.out, result, waits);
            writeReport(result);
            return Main.OK;
        } catch (SQLException e) {
            if (JobDefinitionException.in(e)) {
                // found on the databases, before any row moved: a bad job file, as for errors found reading it
                System.err.println("etlpool: " + file.getFileName() + ": " + e.getMessage());
                return Main.USAGE;
            }
            System.err.println("etlpool: job '" + job.name + "' failed: " + e.getMessage());
            return Main.FAILED;
        } catch (IOException e) {
            System.err.println("etlpool: could not write the report " + report + ": " + e.getMessage());
            return Main.FAILED;
        }
    }

    private void writeReport(JobResult result) throws IOException {
        if (report != null && result != null) {
            Files.writeString(report, result.toJson());
        }
    }

    static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs and says what was committed
        }
    }

    /** {@code --wait} alone: as long as it takes; {@code --wait=10m}: at most that. */
    static Duration waitTime(String value) {
        if (value == null) {
            return Duration.ZERO;
        }
        if (value.equals("forever")) {
            return Duration.ofDays(3650);
        }
        Duration d = Times.parse(value);
        if (d == null) {
            throw new IllegalArgumentException("--wait takes a time such as 30s, 10m or 2h, not '" + value + "'");
        }
        return d;
    }
}
