package io.etlpool.bench;

import io.etlpool.EtlPool;
import io.etlpool.embedded.EmbeddedPostgres;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The macro suite on a real PostgreSQL (embedded, loopback): short ETL tasks per pool and with a new
 * connection per task (throughput, p50/p99 latency), pgbench's own numbers as the server's reference,
 * the cost of resolving commit outcomes, the cost of each session reset mode, a spike of 50 threads on a pool at minSize 1, and recovery after
 * a server restart. It rewrites the
 * section between the macro markers of docs/BENCHMARKS.md and writes one SVG chart per table.
 *
 * <pre>java -cp benchmarks.jar io.etlpool.bench.MacroBench quick|full [docs/BENCHMARKS.md] [spike|recovery|commit|reset|tasks:POOLS:THREADS[:insert]]</pre>
 * The third argument runs one part alone and prints it without touching the docs, e.g.
 * {@code tasks:etlpool,hikari:32} (three rounds of those cells), for checking a change quickly.
 */
public final class MacroBench {

    private static final int MAX_SIZE = 10;
    private static final int SPIKE_RUNS = 5;
    private static final int[] THREADS = {1, 4, 8, 32};
    private static final String NO_POOL = "no pool";
    private static final String SELECT = "SELECT abalance FROM pgbench_accounts WHERE aid = ?";
    /** A task that holds its connection for 10 ms without using the CPU: in a spike, the pool must grow. */
    private static final String LONG_TASK = "SELECT pg_sleep(0.01)";
    private static final String INSERT = "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (1, 1, ?, 1, now())";

    private final EmbeddedPostgres pg;
    private final int runs;
    private final long cellMillis;
    private final int accounts;

    private MacroBench(EmbeddedPostgres pg, boolean full) {
        this.pg = pg;
        this.runs = full ? 3 : 1;
        this.cellMillis = full ? 3_000 : 2_000;
        this.accounts = 1_000_000; // pgbench scale 10
    }

    public static void main(String[] args) throws Exception {
        boolean full = args.length > 0 && args[0].equals("full");
        Path doc = Path.of(args.length > 1 ? args[1] : "docs/BENCHMARKS.md");
        long start = System.nanoTime();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().maxConnections(400).start()) {
            MacroBench bench = new MacroBench(pg, full);
            StringBuilder md = new StringBuilder();
            md.append(String.format(Locale.ROOT, "Measured %s on %d cores, JDK %s, PostgreSQL %s (embedded, loopback, "
                            + "fsync off), %s mode: %d run(s) of %.0f s per cell, the median shown, [min-max] when "
                            + "repeated.%n%n", java.time.LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), bench.serverVersion(), full ? "full" : "quick", bench.runs,
                    bench.cellMillis / 1000.0));
            bench.setUp();
            String only = args.length > 2 ? args[2] : "all";
            if (only.startsWith("tasks:")) {
                String[] f = only.split(":");
                bench.warmUp();
                for (int r = 0; r < 3; r++) {
                    for (String pool : f[1].split(",")) {
                        double[] c = bench.cell(pool, Integer.parseInt(f[2]), f.length > 3 ? INSERT : SELECT, bench.cellMillis);
                        System.out.printf(Locale.ROOT, "%s %s threads: %,.0f tasks/s, p50 %.2f ms, p99 %.2f ms%n", pool, f[2], c[0], c[1], c[2]);
                    }
                }
                return;
            }
            if (!only.equals("all")) {
                // one section alone, printed but not written to the docs: for checking a change quickly
                bench.warmUp();
                System.out.println(only.equals("spike") ? bench.spike(Files.createTempDirectory("bench"))
                        : only.equals("commit") ? bench.commitCost()
                        : only.equals("reset") ? bench.resetCost()
                        : bench.recovery(Files.createTempDirectory("bench")));
                return;
            }
            bench.warmUp();
            md.append(bench.tasks("select", SELECT, doc.getParent()));
            md.append(bench.tasks("insert", INSERT, doc.getParent()));
            md.append(bench.commitCost());
            md.append(bench.resetCost());
            md.append(bench.pgbench());
            md.append(bench.spike(doc.getParent()));
            md.append(bench.recovery(doc.getParent()));
            md.append(String.format(Locale.ROOT, "%nThe whole suite took %.0f s.%n", (System.nanoTime() - start) / 1e9));
            System.out.println(md);
            DocSection.replace(doc, "macro", md.toString());
        }
    }

    // ------------------------------------------------------------------ set-up

    private void setUp() throws Exception {
        Path pgbench = pg.binaries().binDirectory().resolve("pgbench");
        if (Files.isExecutable(pgbench)) {
            run(pgbench + " -i -q -s 10 " + conn());
        } else {
            try (Connection c = connect()) {
                c.createStatement().execute("CREATE TABLE pgbench_accounts (aid int PRIMARY KEY, bid int, abalance int, "
                        + "filler char(84)); INSERT INTO pgbench_accounts SELECT g, 1 + g / 100000, 0, '' "
                        + "FROM generate_series(1, " + accounts + ") g; CREATE TABLE pgbench_history (tid int, bid int, "
                        + "aid int, delta int, mtime timestamp, filler char(22)); VACUUM ANALYZE pgbench_accounts");
            }
        }
    }

    // ------------------------------------------------------------------ short tasks

    /**
     * One discarded second per pool before anything is measured: otherwise whichever pool is measured
     * first runs on a cold JIT (seen: the first pool's 1-thread figure at two thirds of its warm one).
     */
    private void warmUp() throws Exception {
        for (String pool : Pools.ALL) {
            cell(pool, 4, SELECT, 1_000);
        }
        cell(NO_POOL, 4, SELECT, 1_000);
    }

    private String tasks(String variant, String sql, Path docs) throws Exception {
        List<String> columns = new ArrayList<>(Pools.ALL);
        columns.add(NO_POOL);
        double[][] rates = new double[columns.size()][THREADS.length];
        String[][] cells = new String[columns.size()][THREADS.length];
        // runs interleaved (every pool once, then again): a slow phase of the machine or the server
        // (a checkpoint, autovacuum, a neighbour) then spreads over all pools instead of biasing one
        List<List<List<double[]>>> all = new ArrayList<>();
        for (int p = 0; p < columns.size(); p++) {
            all.add(new ArrayList<>());
            for (int t = 0; t < THREADS.length; t++) {
                all.get(p).add(new ArrayList<>());
            }
        }
        for (int r = 0; r < runs; r++) {
            for (int p = 0; p < columns.size(); p++) {
                for (int t = 0; t < THREADS.length; t++) {
                    all.get(p).get(t).add(cell(columns.get(p), THREADS[t], sql, cellMillis));
                }
            }
        }
        for (int p = 0; p < columns.size(); p++) {
            for (int t = 0; t < THREADS.length; t++) {
                List<double[]> results = all.get(p).get(t);
                results.sort((a, b) -> Double.compare(a[0], b[0]));
                double[] median = results.get(results.size() / 2);
                rates[p][t] = median[0];
                String spread = runs > 1 ? String.format(Locale.ROOT, " [%,.0f-%,.0f]", results.get(0)[0],
                        results.get(results.size() - 1)[0]) : "";
                cells[p][t] = String.format(Locale.ROOT, "%,.0f%s<br>%.2f / %.2f ms", median[0], spread, median[1], median[2]);
            }
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%n### Short tasks: borrow, one %s, return (maxSize %d)%n%n",
                variant.equals("select") ? "indexed SELECT" : "INSERT", MAX_SIZE));
        b.append("Tasks per second, and task latency p50 / p99.\n\n| pool |");
        for (int t : THREADS) {
            b.append(' ').append(t).append(t == 1 ? " thread |" : " threads |");
        }
        b.append("\n|---|");
        b.append("---|".repeat(THREADS.length)).append('\n');
        for (int p = 0; p < columns.size(); p++) {
            b.append("| ").append(columns.get(p)).append(" |");
            for (int t = 0; t < THREADS.length; t++) {
                b.append(' ').append(cells[p][t]).append(" |");
            }
            b.append('\n');
        }
        b.append("| **etlpool / best peer** |");
        for (int t = 0; t < THREADS.length; t++) {
            double best = 0;
            for (int p = 1; p < Pools.ALL.size(); p++) {
                best = Math.max(best, rates[p][t]);
            }
            b.append(String.format(Locale.ROOT, " %.2f |", rates[0][t] / best));
        }
        b.append("\n| **etlpool / no pool** |");
        for (int t = 0; t < THREADS.length; t++) {
            b.append(String.format(Locale.ROOT, " %.0fx |", rates[0][t] / rates[columns.size() - 1][t]));
        }
        String chart = "macro-" + variant + ".svg";
        List<String> groups = new ArrayList<>();
        for (int t : THREADS) {
            groups.add(t + " threads");
        }
        Files.writeString(docs.resolve("bench").resolve(chart), SvgChart.bars("Short tasks (" + variant
                + "): tasks per second", groups, columns, rates, "tasks/s"));
        b.append("\n\n![short tasks, ").append(variant).append("](bench/").append(chart).append(")\n");
        return b.toString();
    }

    /** One cell: tasks/s, p50 ms, p99 ms. */
    private double[] cell(String pool, int threads, String sql, long millis) throws Exception {
        DataSource ds = pool.equals(NO_POOL) ? null : Pools.create(pool, pg.jdbcUrl(), pg.superuser(), pg.password(), MAX_SIZE);
        try {
            if (ds != null) {
                Pools.warm(ds, MAX_SIZE);
            }
            double[] m = measure(threads, millis, () -> {
                try (Connection c = ds != null ? ds.getConnection()
                        : DriverManager.getConnection(pg.jdbcUrl(), pg.superuser(), pg.password());
                     PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setInt(1, 1 + ThreadLocalRandom.current().nextInt(accounts));
                    if (ps.execute()) {
                        try (ResultSet rs = ps.getResultSet()) {
                            rs.next();
                        }
                    }
                }
            });
            if (m[3] > 0) {
                System.err.println(pool + " at " + threads + " threads: " + (long) m[3] + " failed tasks");
            }
            return m;
        } finally {
            if (ds != null) {
                Pools.close(ds);
            }
        }
    }

    /** A task of a cell. */
    interface Task {
        void run() throws SQLException;
    }

    /** Runs the task on that many threads for that long: tasks/s, p50 ms, p99 ms, failed tasks. */
    static double[] measure(int threads, long millis, Task task) throws InterruptedException {
        Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(30), 3);
        AtomicLong failures = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        long[] end = new long[1];
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                await(go);
                while (System.nanoTime() - end[0] < 0) {
                    long s = System.nanoTime();
                    try {
                        task.run();
                        latency.recordValue(System.nanoTime() - s);
                    } catch (SQLException e) {
                        failures.incrementAndGet();
                    }
                }
            });
            t.start();
            workers.add(t);
        }
        long start = System.nanoTime();
        end[0] = start + TimeUnit.MILLISECONDS.toNanos(millis);
        go.countDown();
        for (Thread t : workers) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new double[]{latency.getTotalCount() / seconds, latency.getValueAtPercentile(50) / 1e6,
                latency.getValueAtPercentile(99) / 1e6, failures.get()};
    }

    // ------------------------------------------------------------------ commit outcome resolution

    /**
     * What resolving lost commits costs when nothing is lost: the transaction id asked for before every
     * COMMIT, one round trip. A short write transaction (one INSERT) through {@code useTransaction}, with
     * resolveCommitOutcome on and off, interleaved.
     */
    private String commitCost() throws Exception {
        int[] threads = {1, 4, 8};
        boolean[] modes = {true, false};
        List<List<List<double[]>>> all = new ArrayList<>();
        for (int t = 0; t < threads.length; t++) {
            all.add(new ArrayList<>());
            for (int m = 0; m < modes.length; m++) {
                all.get(t).add(new ArrayList<>());
            }
        }
        for (int r = 0; r < Math.max(3, runs); r++) { // interleaved, like the pools above
            for (int t = 0; t < threads.length; t++) {
                for (int m = 0; m < modes.length; m++) {
                    all.get(t).get(m).add(transactionCell(modes[m], threads[t], cellMillis));
                }
            }
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%n### Commit outcome resolution: the extra round "
                + "trip%n%nA short write transaction (`useTransaction`: one INSERT, COMMIT) on etlpool, maxSize %d, "
                + "with `resolveCommitOutcome` on (the transaction id is asked for before COMMIT) and off. Transactions "
                + "per second, p50 / p99 latency; median of %d interleaved runs [min-max].%n%n| threads | resolution on "
                + "| resolution off | on / off |%n|---|---|---|---|%n", MAX_SIZE, Math.max(3, runs)));
        for (int t = 0; t < threads.length; t++) {
            double[] rate = new double[modes.length];
            b.append("| ").append(threads[t]);
            for (int m = 0; m < modes.length; m++) {
                rate[m] = medianCell(all.get(t).get(m), b);
            }
            b.append(String.format(Locale.ROOT, " | %.2f |%n", rate[0] / rate[1]));
        }
        return b.toString();
    }

    /**
     * Appends {@code " | rate [min-max]<br>p50 / p99 ms"} for the median of repeated runs (each tasks/s,
     * p50 ms, p99 ms) and returns the median rate.
     */
    static double medianCell(List<double[]> results, StringBuilder b) {
        results.sort((x, y) -> Double.compare(x[0], y[0]));
        double[] median = results.get(results.size() / 2);
        b.append(String.format(Locale.ROOT, " | %,.0f [%,.0f-%,.0f]<br>%.2f / %.2f ms", median[0],
                results.get(0)[0], results.get(results.size() - 1)[0], median[1], median[2]));
        return median[0];
    }

    /** The cost of each resetOnReturn mode (see {@link ResetCost}). */
    private String resetCost() throws Exception {
        return ResetCost.section(pg, SELECT, accounts, MAX_SIZE, runs, cellMillis);
    }

    private double[] transactionCell(boolean resolve, int threads, long millis) throws Exception {
        try (EtlPool pool = EtlPool.builder().name("bench").jdbcUrl(pg.jdbcUrl()).username(pg.superuser())
                .password(pg.password()).minSize(MAX_SIZE).maxSize(MAX_SIZE).registerMBean(false)
                .resolveCommitOutcome(resolve).build()) {
            Pools.warm(pool, MAX_SIZE);
            return measure(threads, millis, () -> pool.useTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    ps.setInt(1, 1 + ThreadLocalRandom.current().nextInt(accounts));
                    ps.executeUpdate();
                }
            }));
        }
    }

    // ------------------------------------------------------------------ pgbench reference

    private String pgbench() throws Exception {
        Path pgbench = pg.binaries().binDirectory().resolve("pgbench");
        if (!Files.isExecutable(pgbench)) {
            return "\n### pgbench reference\n\npgbench is not installed here: skipped.\n";
        }
        StringBuilder b = new StringBuilder("\n### pgbench reference: what the server can do\n\n"
                + "`pgbench -S` (the same indexed SELECT) on the same server, as transactions per second.\n\n"
                + "| clients | persistent connections | new connection per transaction (`-C`) |\n|---|---|---|\n");
        for (int clients : new int[]{4, 8, 32}) {
            String base = pgbench + " -S -n -T " + Math.max(2, cellMillis / 1000) + " -j 2 -c " + clients + " " + conn();
            b.append(String.format(Locale.ROOT, "| %d | %s | %s |%n", clients, tps(run(base)), tps(run(base + " -C"))));
        }
        return b.toString();
    }

    private static String tps(String output) {
        for (String line : output.split("\n")) {
            if (line.startsWith("tps = ")) {
                String n = line.substring(6).split(" ")[0];
                return String.format(Locale.ROOT, "%,.0f", Double.parseDouble(n));
            }
        }
        return "?";
    }

    // ------------------------------------------------------------------ spike

    private String spike(Path docs) throws Exception {
        int threads = 50;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%n### Spike: %d threads arrive at once on a pool "
                + "at minSize 1 (maxSize %d)%n%nTime until every thread has done one task. A short task is the one "
                + "above (borrow, SELECT, return): the connection already open can serve the burst. A long task "
                + "holds its connection for 10 ms (`SELECT pg_sleep(0.01)`): the pool has to grow. Median of %d "
                + "spikes per pool [fastest-slowest], interleaved.%n%n| pool | short tasks | long tasks (10 ms) |%n"
                + "|---|---|---|%n", threads, MAX_SIZE, SPIKE_RUNS * runs));
        String[] tasks = {SELECT, LONG_TASK};
        double[][] ms = new double[tasks.length][Pools.ALL.size()];
        List<List<List<Double>>> all = new ArrayList<>();
        for (int t = 0; t < tasks.length; t++) {
            all.add(new ArrayList<>());
            for (int p = 0; p < Pools.ALL.size(); p++) {
                all.get(t).add(new ArrayList<>());
            }
        }
        for (int r = 0; r < SPIKE_RUNS * runs; r++) { // a single spike is noisy: several, interleaved, the median shown
            for (int t = 0; t < tasks.length; t++) {
                for (int p = 0; p < Pools.ALL.size(); p++) {
                    all.get(t).get(p).add(spikeOnce(Pools.ALL.get(p), threads, tasks[t]));
                }
            }
        }
        for (int p = 0; p < Pools.ALL.size(); p++) {
            b.append("| ").append(Pools.ALL.get(p));
            for (int t = 0; t < tasks.length; t++) {
                List<Double> times = all.get(t).get(p);
                Collections.sort(times);
                ms[t][p] = times.get(times.size() / 2);
                b.append(String.format(Locale.ROOT, " | %.0f ms [%.0f-%.0f]", ms[t][p], times.get(0),
                        times.get(times.size() - 1)));
            }
            b.append(" |\n");
        }
        Files.createDirectories(docs.resolve("bench"));
        Files.writeString(docs.resolve("bench").resolve("macro-spike.svg"), SvgChart.bars("Spike: ms until 50 threads "
                + "are served (lower is better)", Pools.ALL, List.of("short tasks", "long tasks (10 ms)"), ms, "ms"));
        return b.append("\n![spike](bench/macro-spike.svg)\n").toString();
    }

    private double spikeOnce(String pool, int threads, String task) throws Exception {
        DataSource ds = Pools.create(pool, pg.jdbcUrl(), pg.superuser(), pg.password(), 1, MAX_SIZE);
        try {
            Pools.warm(ds, 1);
            return Burst.run(threads, 0, pool + " spike", id -> {
                try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(task)) {
                    if (task.equals(SELECT)) {
                        ps.setInt(1, 1);
                    }
                    ps.executeQuery().close();
                }
            }).millis();
        } finally {
            Pools.close(ds);
        }
    }

    // ------------------------------------------------------------------ recovery

    private String recovery(Path docs) throws Exception {
        StringBuilder b = new StringBuilder("\n### Recovery: the server restarts under load\n\n8 threads borrow "
                + "continuously; the server stops for 2 s and starts again on the same port. Time from the server "
                + "accepting connections to the first successful task, and to every thread having succeeded.\n\n"
                + "| pool | first success | all threads healthy |\n|---|---|---|\n");
        double[][] ms = new double[2][Pools.ALL.size()];
        for (int p = 0; p < Pools.ALL.size(); p++) {
            double[] r = recoverOnce(Pools.ALL.get(p));
            ms[0][p] = r[0];
            ms[1][p] = r[1];
            b.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", Pools.ALL.get(p), millis(r[0]), millis(r[1])));
        }
        Files.createDirectories(docs.resolve("bench"));
        Files.writeString(docs.resolve("bench").resolve("macro-recovery.svg"), SvgChart.bars("Recovery after a restart: "
                + "ms (lower is better)", Pools.ALL, List.of("first success", "all healthy"), ms, "ms"));
        return b.append("\n![recovery](bench/macro-recovery.svg)\n").toString();
    }

    private double[] recoverOnce(String pool) throws Exception {
        int threads = 8;
        DataSource ds = Pools.create(pool, pg.jdbcUrl(), pg.superuser(), pg.password(), MAX_SIZE);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLongArray firstAfter = new AtomicLongArray(threads);
        long[] back = new long[1];
        List<Thread> workers = new ArrayList<>();
        try {
            Pools.warm(ds, MAX_SIZE);
            for (int i = 0; i < threads; i++) {
                int id = i;
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT)) {
                            ps.setInt(1, 1);
                            ps.executeQuery().close();
                            long now = System.nanoTime();
                            long b0 = back[0];
                            if (b0 != 0 && now - b0 > 0) {
                                firstAfter.compareAndSet(id, 0, now);
                            }
                        } catch (SQLException e) {
                            sleep(1); // expected during the outage
                        }
                    }
                });
                t.start();
                workers.add(t);
            }
            sleep(500);
            pg.stop();
            sleep(2_000);
            pg.start();
            back[0] = System.nanoTime();
            long deadline = back[0] + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() - deadline < 0 && !allSet(firstAfter)) {
                sleep(5);
            }
            long first = Long.MAX_VALUE;
            long last = 0;
            for (int i = 0; i < threads; i++) {
                long v = firstAfter.get(i);
                first = Math.min(first, v == 0 ? Long.MAX_VALUE : v);
                last = v == 0 ? Long.MAX_VALUE : Math.max(last, v);
            }
            return new double[]{first == Long.MAX_VALUE ? Double.NaN : (first - back[0]) / 1e6,
                    last == Long.MAX_VALUE ? Double.NaN : (last - back[0]) / 1e6};
        } finally {
            stop.set(true);
            for (Thread t : workers) {
                t.join(10_000);
            }
            Pools.close(ds);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static boolean allSet(AtomicLongArray a) {
        for (int i = 0; i < a.length(); i++) {
            if (a.get(i) == 0) {
                return false;
            }
        }
        return true;
    }

    private static String millis(double ms) {
        return Double.isNaN(ms) ? "not within 30 s" : String.format(Locale.ROOT, "%,.0f ms", ms);
    }

    private String conn() {
        return "-h " + pg.host() + " -p " + pg.port() + " -U " + pg.superuser() + " postgres";
    }

    private Connection connect() throws SQLException {
        return pg.connect("postgres");
    }

    private String serverVersion() throws SQLException {
        try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1).split(" ")[0];
        }
    }

    /** Runs a shell command with the password in the environment (never on the command line). */
    private String run(String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", pg.password());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(command.split(" ")[0] + " failed: " + out);
        }
        return out;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
