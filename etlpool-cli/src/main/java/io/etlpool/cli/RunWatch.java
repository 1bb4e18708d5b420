package io.etlpool.cli;

import io.etlpool.etl.ProgressEvent;
import io.etlpool.etl.ProgressListener;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Watches a run for the CLI: says when a run resumes, passes progress on to the progress line (unless
 * quiet), and remembers what was committed, so that a signal (Ctrl-C, SIGTERM) can say what stays in the
 * target and how to go on.
 */
final class RunWatch implements ProgressListener {

    private final PrintStream out;
    private final ProgressListener progress;
    private volatile ProgressEvent last;
    private volatile int partitions;
    private volatile int doneBefore;

    RunWatch(PrintStream out, ProgressListener progress) {
        this.out = out;
        this.progress = progress;
    }

    @Override
    public void starting(String job, int partitionsDone, int partitionCount, boolean resumed) {
        this.partitions = partitionCount;
        this.doneBefore = partitionsDone;
        if (resumed) {
            out.printf(Locale.ROOT, "Resuming job '%s' from its checkpoints: %d of %d partitions done in earlier runs, "
                    + "%d to go.%n", job, partitionsDone, partitionCount, partitionCount - partitionsDone);
            out.flush();
        }
    }

    @Override
    public void progress(ProgressEvent event) {
        last = event;
        progress.progress(event);
    }

    /** What a signal handler prints: committed rows stay, and the same command resumes. */
    String interrupted(String jobFile) {
        ProgressEvent e = last;
        long rows = e == null ? 0 : e.rowsWritten();
        int done = e == null ? doneBefore : e.partitionsDone();
        return String.format(Locale.ROOT, "etlpool: stopped by a signal. %,d rows were committed in this run (partitions "
                + "done: %d of %d); every committed chunk stays in the target with its checkpoint, a chunk in flight "
                + "is rolled back. Run 'etlpool run %s' again to resume where it stopped.", rows, done, partitions,
                jobFile);
    }
}
