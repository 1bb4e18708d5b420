package io.etlpool.bench;

import io.etlpool.EtlPool;
import io.etlpool.ResetMode;
import io.etlpool.embedded.EmbeddedPostgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The macro row "Session reset on return": what each resetOnReturn mode costs a short task (borrow, the
 * indexed SELECT, return) on etlpool, for a task that changes no session state and for one that runs a
 * {@code SET} first (which AUTO then undoes with RESET ALL). Runs interleaved, like the other rows.
 */
final class ResetCost {

    static final String SET = "SET work_mem = '8MB'";
    private static final int THREADS = 4;
    private static final ResetMode[] MODES = {ResetMode.NONE, ResetMode.AUTO, ResetMode.RESET_ALL, ResetMode.DISCARD_ALL};

    private ResetCost() {
    }

    /** The Markdown section: tasks/s, p50 / p99 per mode and task, and each mode against NONE. */
    static String section(EmbeddedPostgres pg, String select, int accounts, int maxSize, int runs, long cellMillis)
            throws Exception {
        int rounds = Math.max(3, runs);
        boolean[] sets = {false, true};
        List<List<List<double[]>>> all = new ArrayList<>();
        for (int m = 0; m < MODES.length; m++) {
            all.add(new ArrayList<>());
            for (int t = 0; t < sets.length; t++) {
                all.get(m).add(new ArrayList<>());
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (int m = 0; m < MODES.length; m++) {
                for (int t = 0; t < sets.length; t++) {
                    all.get(m).get(t).add(cell(pg, MODES[m], sets[t], select, accounts, maxSize, cellMillis));
                }
            }
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%n### Session reset on return: what each "
                + "resetOnReturn costs%n%nA short task on etlpool (borrow, the indexed SELECT, return; maxSize %d, %d "
                + "threads), once as it is and once with a `%s` first, which the next borrower must not see. Tasks per "
                + "second, p50 / p99 latency; median of %d interleaved runs [min-max]; the last columns against NONE.%n%n"
                + "| resetOnReturn | SELECT | SET, then SELECT | SELECT / NONE | SET, then SELECT / NONE |%n"
                + "|---|---|---|---|---|%n", maxSize, THREADS, SET, rounds));
        double[] none = new double[sets.length];
        for (int m = 0; m < MODES.length; m++) {
            double[] rate = new double[sets.length];
            b.append("| ").append(MODES[m]);
            for (int t = 0; t < sets.length; t++) {
                rate[t] = MacroBench.medianCell(all.get(m).get(t), b);
            }
            if (m == 0) {
                none = rate;
            }
            b.append(String.format(Locale.ROOT, " | %.2f | %.2f |%n", rate[0] / none[0], rate[1] / none[1]));
        }
        return b.toString();
    }

    private static double[] cell(EmbeddedPostgres pg, ResetMode mode, boolean set, String select, int accounts,
                                 int maxSize, long millis) throws Exception {
        try (EtlPool pool = EtlPool.builder().name("bench-reset").jdbcUrl(pg.jdbcUrl()).username(pg.superuser())
                .password(pg.password()).minSize(maxSize).maxSize(maxSize).registerMBean(false).resetOnReturn(mode)
                .build()) {
            Pools.warm(pool, maxSize);
            double[] m = MacroBench.measure(THREADS, millis, () -> {
                try (Connection c = pool.getConnection()) {
                    if (set) {
                        try (Statement s = c.createStatement()) {
                            s.execute(SET);
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement(select)) {
                        ps.setInt(1, 1 + ThreadLocalRandom.current().nextInt(accounts));
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                        }
                    }
                }
            });
            if (m[3] > 0) {
                System.err.println("reset " + mode + (set ? " with SET" : "") + ": " + (long) m[3] + " failed tasks");
            }
            return m;
        }
    }
}
