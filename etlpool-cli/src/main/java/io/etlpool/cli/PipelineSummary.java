package io.etlpool.cli;

import io.etlpool.etl.PipelineResult;

import java.io.PrintStream;
import java.util.Locale;

/** The table printed when a pipeline run ends: one row per stream, then the totals. */
final class PipelineSummary {

    private PipelineSummary() {
    }

    static void print(PrintStream out, PipelineResult r, PipelineSetup setup, WaitHistogram waits) {
        out.printf(Locale.ROOT, "  %-24s %-16s %12s %12s %9s  %s%n", "stream", "status", "rows written", "rows/s",
                "duration", "path");
        for (PipelineResult.StreamResult s : r.streams()) {
            String status = s.status().name().toLowerCase(Locale.ROOT).replace('_', ' ');
            boolean ran = s.result() != null && s.status() != PipelineResult.Status.ALREADY_COMPLETE;
            out.printf(Locale.ROOT, "  %-24s %-16s %,12d %12s %9s  %s%n", setup == null ? s.stream()
                            : setup.shortName(s.stream()), status, s.rowsWritten(),
                    ran ? String.format(Locale.ROOT, "%,.0f", s.result().rowsPerSecond()) : "-",
                    ran ? String.format(Locale.ROOT, "%.1f s", s.result().duration().toMillis() / 1000.0) : "-",
                    ran ? s.path() : "-");
        }
        long loaded = r.streams().stream().filter(s -> s.status() == PipelineResult.Status.LOADED).count();
        long before = r.streams().stream().filter(s -> s.status() == PipelineResult.Status.ALREADY_COMPLETE).count();
        double seconds = r.duration().toMillis() / 1000.0;
        out.printf(Locale.ROOT, "  %-24s %-16s %,12d %12s %9s%n", "total", r.streams().size() + " streams",
                r.rowsWritten(), String.format(Locale.ROOT, "%,.0f", seconds > 0 ? r.rowsWritten() / seconds : 0),
                String.format(Locale.ROOT, "%.1f s", seconds));
        Summary.row(out, "streams", loaded + " loaded, " + before + " finished before, " + r.failedStreams().size()
                + " failed or not run");
        if (r.definitions() != null) {
            Summary.row(out, "table definitions", r.definitions());
        }
        StringBuilder budget = new StringBuilder();
        r.connectionBudget().forEach((pool, n) -> budget.append(budget.length() == 0 ? "" : ", ").append(pool)
                .append(' ').append(n));
        Summary.row(out, "connection budget", budget.toString());
        if (waits != null) {
            Summary.row(out, "borrow wait p50 / p99", WaitHistogram.format(waits.percentile(0.50)) + " / "
                    + WaitHistogram.format(waits.percentile(0.99)));
        }
    }
}
