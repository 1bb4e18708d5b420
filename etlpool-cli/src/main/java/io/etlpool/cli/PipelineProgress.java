package io.etlpool.cli;

import io.etlpool.etl.PipelineListener;
import io.etlpool.etl.PipelineResult;
import io.etlpool.etl.ProgressEvent;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A pipeline's progress: a line when a stream starts and ends, and a progress line with the total and each
 * running stream (percentage and ETA where the source's estimate of its rows is known): on a terminal one
 * live line redrawn at most 10 times a second, elsewhere a plain line every few seconds.
 */
final class PipelineProgress implements PipelineListener {

    private static final class Stream {
        long estimate = -1;
        long written;
        int partitionsDone;
        int partitions;
        boolean running;
        boolean ended;
        long startNanos;
    }

    private final PrintStream out;
    private final boolean terminal;
    private final boolean quiet;
    private final long intervalNanos;
    private final Map<String, Stream> streams = new LinkedHashMap<>();
    private long startNanos = System.nanoTime();
    private PipelineSetup setup;
    private long lastPrint;
    private boolean drew;

    PipelineProgress(PrintStream out, boolean terminal, boolean quiet) {
        this.out = out;
        this.terminal = terminal;
        this.quiet = quiet;
        this.intervalNanos = terminal ? 100_000_000L : 3_000_000_000L;
    }

    synchronized void setup(PipelineSetup setup) {
        this.setup = setup;
    }

    private String name(String stream) {
        return setup == null ? stream : setup.shortName(stream);
    }

    @Override
    public synchronized void starting(Map<String, Long> estimatedRows) {
        streams.clear(); // a new run (the demo runs its pipeline twice)
        startNanos = System.nanoTime();
        estimatedRows.forEach((k, v) -> streams.computeIfAbsent(k, x -> new Stream()).estimate = v);
    }

    @Override
    public synchronized void streamStarting(String stream, long estimatedRows, int parallelism) {
        Stream s = streams.computeIfAbsent(stream, k -> new Stream());
        s.estimate = estimatedRows;
        s.running = true;
        s.startNanos = System.nanoTime();
        if (!quiet) {
            say(String.format(Locale.ROOT, "stream %s starts: %s, %d partition(s) at once", name(stream),
                    estimatedRows < 0 ? "size unknown" : String.format(Locale.ROOT, "about %,d rows", estimatedRows),
                    parallelism));
        }
    }

    @Override
    public synchronized void progress(String stream, ProgressEvent e) {
        Stream s = streams.computeIfAbsent(stream, k -> new Stream());
        s.written = e.rowsWritten();
        s.partitionsDone = e.partitionsDone();
        s.partitions = e.partitions();
        long now = System.nanoTime();
        if (quiet || now - lastPrint < intervalNanos) {
            return;
        }
        lastPrint = now;
        String line = line();
        if (terminal) {
            out.print("\r" + line + "   ");
            drew = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public synchronized void streamFinished(PipelineResult.StreamResult r) {
        Stream s = streams.computeIfAbsent(r.stream(), k -> new Stream());
        s.running = false;
        s.ended = true;
        s.written = r.rowsWritten();
        s.estimate = r.rowsWritten(); // what is left of it is nothing
        if (!quiet) {
            double seconds = (System.nanoTime() - s.startNanos) / 1e9;
            say(switch (r.status()) {
                case LOADED -> String.format(Locale.ROOT, "stream %s: loaded %,d rows in %.1f s", name(r.stream()),
                        r.rowsWritten(), seconds);
                case ALREADY_COMPLETE -> "stream " + name(r.stream()) + ": finished in an earlier run, nothing to do";
                default -> "stream " + name(r.stream()) + ": FAILED: " + r.error();
            });
        }
    }

    private void say(String line) {
        if (drew) {
            out.println();
            drew = false;
        }
        out.println(line);
        out.flush();
    }

    /** Total, then each running stream: "orders 42% ETA 3 s". */
    private String line() {
        long written = 0;
        long estimate = 0;
        boolean known = true;
        int ended = 0;
        StringBuilder running = new StringBuilder();
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        for (Map.Entry<String, Stream> e : streams.entrySet()) {
            Stream s = e.getValue();
            written += s.written;
            if (s.estimate < 0) {
                known = false;
            } else {
                estimate += Math.max(s.estimate, s.written);
            }
            ended += s.ended ? 1 : 0;
            if (s.running) {
                running.append(running.length() == 0 ? "" : ", ").append(name(e.getKey()));
                if (s.estimate > 0) {
                    double f = Math.min(1.0, (double) s.written / s.estimate);
                    running.append(String.format(Locale.ROOT, " %.0f%%", f * 100))
                            .append(eta(s.written, s.estimate, (System.nanoTime() - s.startNanos) / 1e9));
                } else {
                    running.append(String.format(Locale.ROOT, " %,d rows", s.written));
                }
            }
        }
        int total = setup == null ? streams.size() : setup.pipeline.streamNames().size();
        StringBuilder b = new StringBuilder();
        if (known && estimate > 0) {
            double f = Math.min(1.0, (double) written / estimate);
            int filled = (int) Math.round(f * 24);
            b.append('[').append("#".repeat(filled)).append(".".repeat(24 - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3.0f%% %,d / %,d rows", f * 100, written, estimate))
                    .append(eta(written, estimate, elapsed));
        } else {
            b.append(String.format(Locale.ROOT, "%,d rows", written));
        }
        b.append(String.format(Locale.ROOT, "  %,.0f rows/s  streams %d/%d done", elapsed > 0 ? written / elapsed : 0,
                ended, total));
        if (running.length() > 0) {
            b.append("  running: ").append(running);
        }
        return b.toString();
    }

    private static String eta(long done, long estimate, double seconds) {
        if (done <= 0 || seconds <= 0 || estimate <= done) {
            return "";
        }
        return String.format(Locale.ROOT, " ETA %.0f s", (estimate - done) / (done / seconds));
    }

    synchronized void finish() {
        if (drew) {
            out.println();
            drew = false;
        }
    }

    /** What a signal handler prints: committed rows stay, and the same command resumes. */
    synchronized String interrupted(String file) {
        StringBuilder b = new StringBuilder("etlpool: stopped by a signal. Committed in this run:");
        streams.forEach((k, s) -> b.append(String.format(Locale.ROOT, " %s %,d rows%s;", name(k), s.written,
                s.ended ? " (ended)" : "")));
        return b.append(" every committed chunk stays in the target with its checkpoint, a chunk in flight is rolled "
                + "back. Run 'etlpool run ").append(file).append("' again to resume where each stream stopped.").toString();
    }
}
