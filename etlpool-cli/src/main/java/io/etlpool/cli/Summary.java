package io.etlpool.cli;

import io.etlpool.PoolStats;
import io.etlpool.etl.JobResult;

import java.io.PrintStream;
import java.util.Locale;

/** The small table printed when a job ends. */
final class Summary {

    private Summary() {
    }

    static void print(PrintStream out, JobResult r, WaitHistogram waits) {
        if (r.alreadyComplete()) {
            out.println("Job '" + r.job() + "' had already finished: nothing to do (use --restart to load it again).");
            return;
        }
        row(out, "rows read", String.format(Locale.ROOT, "%,d", r.rowsRead()));
        row(out, "rows written", String.format(Locale.ROOT, "%,d", r.rowsWritten()));
        row(out, "rows rejected", String.format(Locale.ROOT, "%,d", r.rowsRejected()));
        if (r.rowsMerged() > 0) {
            row(out, "rows merged", String.format(Locale.ROOT, "%,d (duplicate keys in the source: the last row of "
                    + "each key in a chunk won)", r.rowsMerged()));
        }
        if (r.partitionsDoneBefore() > 0) {
            row(out, "resumed", r.partitionsDoneBefore() + " of " + r.partitionCount()
                    + " partitions were done before this run");
        }
        if (r.increment() != null) {
            row(out, "increment", r.increment());
        }
        row(out, "source snapshot", r.snapshot());
        row(out, "path", r.path());
        row(out, "duration", String.format(Locale.ROOT, "%.1f s", r.duration().toMillis() / 1000.0));
        row(out, "rows/s", String.format(Locale.ROOT, "%,.0f", r.rowsPerSecond()));
        row(out, "retries", Integer.toString(r.retries()));
        PoolStats s = r.sourcePool();
        PoolStats t = r.targetPool();
        row(out, "connections opened", s == t ? Long.toString(s.connectionsCreated())
                : s.connectionsCreated() + " source, " + t.connectionsCreated() + " target");
        row(out, "borrows (waited)", (s == t ? s.borrows() : s.borrows() + t.borrows()) + " ("
                + (s == t ? s.waitedBorrows() : s.waitedBorrows() + t.waitedBorrows()) + ")");
        row(out, "borrow wait p50 / p99", WaitHistogram.format(waits.percentile(0.50)) + " / "
                + WaitHistogram.format(waits.percentile(0.99)));
        row(out, "longest borrow wait", Math.max(s.maxWait().toMillis(), t.maxWait().toMillis()) + " ms");
    }

    static void row(PrintStream out, String name, String value) {
        out.printf(Locale.ROOT, "  %-22s %s%n", name, value);
    }
}
