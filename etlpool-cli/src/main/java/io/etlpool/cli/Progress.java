package io.etlpool.cli;

import io.etlpool.PoolStats;
import io.etlpool.etl.ProgressEvent;
import io.etlpool.etl.ProgressListener;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows a job's progress: on a terminal one live line (bar, rows, rows/s, partitions, streams, pool use), redrawn
 * at most 10 times a second; elsewhere (CI, pipes) a plain line every few seconds.
 */
final class Progress implements ProgressListener {

    private final PrintStream out;
    private final boolean terminal;
    private final long estimatedRows;
    private final long intervalNanos;
    private long lastPrint;
    private boolean drew;

    Progress(PrintStream out, boolean terminal, long estimatedRows) {
        this.out = out;
        this.terminal = terminal;
        this.estimatedRows = estimatedRows;
        this.intervalNanos = terminal ? 100_000_000L : 3_000_000_000L;
    }

    @Override
    public synchronized void progress(ProgressEvent e) {
        long now = System.nanoTime();
        boolean last = e.partitionsDone() == e.partitions();
        if (!last && now - lastPrint < intervalNanos) {
            return;
        }
        lastPrint = now;
        String line = line(e);
        if (terminal) {
            out.print("\r" + line + "   ");
            drew = true;
            if (last) {
                out.println();
                drew = false;
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends a live line before other output. */
    synchronized void finish() {
        if (drew) {
            out.println();
            drew = false;
        }
    }

    private String line(ProgressEvent e) {
        StringBuilder b = new StringBuilder();
        if (estimatedRows > 0) {
            double done = Math.min(1.0, (double) e.rowsWritten() / estimatedRows);
            int filled = (int) Math.round(done * 24);
            b.append('[').append("#".repeat(filled)).append(".".repeat(24 - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3.0f%% ", done * 100));
        }
        b.append(String.format(Locale.ROOT, "%,d", e.rowsWritten()));
        if (estimatedRows > 0) {
            b.append(String.format(Locale.ROOT, " / %,d", estimatedRows));
        }
        b.append(String.format(Locale.ROOT, " rows  %,.0f rows/s  partitions %d/%d  streams %d", e.rowsPerSecond(),
                e.partitionsDone(), e.partitions(), e.streams()));
        PoolStats s = e.sourcePool();
        if (s != null) {
            b.append(String.format(Locale.ROOT, "  pool: %d active, %d idle, %d waiting", s.active(), s.idle(), s.waiting()));
        }
        return b.toString();
    }
}
