package io.etlpool.bench;

import io.etlpool.embedded.EmbeddedPostgres;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.postgresql.PGConnection;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * 10,000 virtual threads on a pool of 10 connections to a real PostgreSQL (embedded, loopback): each
 * borrows, runs one indexed SELECT and gives back, in a loop. Measured per pool: tasks per second; the
 * hand-off latency, from a holder starting {@code close()} to the next borrower of that connection, on
 * another thread, running with it (for a parked virtual thread, mostly the wait for a carrier to run it
 * again; its maximum is mostly a young-generation GC pause, with 10,000 virtual-thread stacks to scan);
 * how often the returner took its connection back itself before anyone woke for it; the p99 of the
 * borrow wait; the share of threads that got no connection in the whole round; and the carrier wake-up
 * latency the same for every pool ({@link WakeUpProbe}: a probe thread woken every 2 ms, since a pool
 * that lets the returner take its connection back has its hand-off figures count only the wake-ups that
 * won that race). Pools interleaved, every
 * round once per pool; median and [min-max] of the rounds. Needs JDK 21+:
 *
 * <pre>/usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp etlpool-benchmarks/target/benchmarks.jar \
 *     io.etlpool.bench.VirtualThreadBench [rounds] [seconds] [pools]</pre>
 * (defaults: 5 rounds of 5 s, pools etlpool,hikari). It prints a Markdown table.
 */
public final class VirtualThreadBench {

    private static final int MAX_SIZE = 10;
    private static final int THREADS = 10_000;
    private static final int ACCOUNTS = 100_000;
    private static final String SELECT = "SELECT abalance FROM vt_accounts WHERE aid = ?";

    private final EmbeddedPostgres pg;

    private VirtualThreadBench(EmbeddedPostgres pg) {
        this.pg = pg;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long millis = TimeUnit.SECONDS.toMillis(args.length > 1 ? Long.parseLong(args[1]) : 5);
        List<String> pools = List.of((args.length > 2 ? args[2] : "etlpool,hikari").split(","));
        VirtualThreads.perTaskExecutor().shutdown(); // fail at once below JDK 21
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().maxConnections(100).start()) {
            VirtualThreadBench bench = new VirtualThreadBench(pg);
            bench.setUp();
            for (String pool : pools) {
                bench.round(pool, 2_000); // warm-up, discarded
            }
            Map<String, List<double[]>> results = new LinkedHashMap<>();
            for (int r = 0; r < rounds; r++) {
                for (String pool : pools) {
                    double[] m = bench.round(pool, millis);
                    results.computeIfAbsent(pool, k -> new ArrayList<>()).add(m);
                    System.err.printf(Locale.ROOT, "round %d %s: %,.0f tasks/s, hand-off p50 %.3f p99 %.2f p99.9 %.2f max %.1f ms, "
                            + "%.1f%% taken back by the returner, borrow wait p99 %.0f ms, %.1f%% of threads never served, "
                            + "wake-up p50 %.3f p99 %.2f p99.9 %.2f max %.1f ms%n",
                            r + 1, pool, m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], m[9], m[10], m[11]);
                }
            }
            System.out.println(table(pools, results, rounds, millis));
        }
    }

    private void setUp() throws SQLException {
        try (Connection c = pg.connect("postgres")) {
            c.createStatement().execute("CREATE TABLE vt_accounts (aid int PRIMARY KEY, abalance int)");
            c.createStatement().execute("INSERT INTO vt_accounts SELECT g, 0 FROM generate_series(1, " + ACCOUNTS + ") g");
            c.createStatement().execute("VACUUM ANALYZE vt_accounts");
        }
    }

    /**
     * One round: tasks/s; hand-off p50, p99, p99.9, max (ms); % taken back by the returner; borrow wait
     * p99 (ms); % of threads never served; probe wake-up p50, p99, p99.9, max (ms).
     */
    private double[] round(String pool, long millis) throws Exception {
        DataSource ds = Pools.create(pool, pg.jdbcUrl(), pg.superuser(), pg.password(), MAX_SIZE);
        try {
            Pools.warm(ds, MAX_SIZE);
            Histogram handOff = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
            Map<Object, GivenBack> givenBack = new ConcurrentHashMap<>();
            AtomicLong sameThread = new AtomicLong();
            AtomicLong neverServed = new AtomicLong();
            Histogram borrowWait = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
            AtomicLong tasks = new AtomicLong();
            AtomicLong failures = new AtomicLong();
            CountDownLatch go = new CountDownLatch(1);
            long[] end = new long[1];
            long start;
            WakeUpProbe probe = null;
            ExecutorService threads = VirtualThreads.perTaskExecutor();
            try {
                for (int i = 0; i < THREADS; i++) {
                    threads.execute(() -> {
                        await(go);
                        int mine = 0;
                        while (System.nanoTime() - end[0] < 0) {
                            try {
                                long asked = System.nanoTime();
                                task(ds, givenBack, handOff, sameThread, borrowWait, asked);
                                tasks.incrementAndGet();
                                mine++;
                            } catch (SQLException e) {
                                failures.incrementAndGet();
                            }
                        }
                        if (mine == 0) {
                            neverServed.incrementAndGet();
                        }
                    });
                }
                start = System.nanoTime();
                end[0] = start + TimeUnit.MILLISECONDS.toNanos(millis);
                probe = new WakeUpProbe();
                go.countDown();
            } finally {
                threads.shutdown();
                threads.awaitTermination(10, TimeUnit.MINUTES);
            }
            probe.close();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (failures.get() > 0) {
                System.err.println(pool + ": " + failures.get() + " failed tasks");
            }
            return new double[]{tasks.get() / seconds, handOff.getValueAtPercentile(50) / 1e6,
                    handOff.getValueAtPercentile(99) / 1e6, handOff.getValueAtPercentile(99.9) / 1e6,
                    handOff.getMaxValue() / 1e6, 100.0 * sameThread.get() / Math.max(1, tasks.get()),
                    borrowWait.getValueAtPercentile(99) / 1e6, 100.0 * neverServed.get() / THREADS,
                    probe.percentileMs(50), probe.percentileMs(99), probe.percentileMs(99.9), probe.maxMs()};
        } finally {
            Pools.close(ds);
        }
    }

    /** When and by which thread a connection was given back. */
    private static final class GivenBack {
        final long atNanos;
        final Thread by;

        GivenBack(long atNanos, Thread by) {
            this.atNanos = atNanos;
            this.by = by;
        }
    }

    private static void task(DataSource ds, Map<Object, GivenBack> givenBack, Histogram handOff, AtomicLong sameThread,
                             Histogram borrowWait, long asked) throws SQLException {
        Connection c = ds.getConnection();
        borrowWait.recordValue(Math.max(0, System.nanoTime() - asked));
        Object physical = c.unwrap(PGConnection.class);
        GivenBack last = givenBack.remove(physical);
        if (last != null) {
            if (last.by == Thread.currentThread()) {
                sameThread.incrementAndGet(); // the returner took it back itself: nobody was woken for it
            } else {
                handOff.recordValue(Math.max(0, System.nanoTime() - last.atNanos));
            }
        }
        try (PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setInt(1, 1 + ThreadLocalRandom.current().nextInt(ACCOUNTS));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        } finally {
            givenBack.put(physical, new GivenBack(System.nanoTime(), Thread.currentThread()));
            c.close();
        }
    }

    private static String table(List<String> pools, Map<String, List<double[]>> results, int rounds, long millis) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "JDK %s, %d cores, %d virtual threads on maxSize %d, "
                        + "%d rounds of %.0f s, interleaved: median [min-max].%n%n| pool | tasks/s | hand-off p50 | "
                        + "hand-off p99 | hand-off p99.9 | hand-off max | taken back by the returner | borrow wait p99 | threads never "
                        + "served in the round | wake-up p50 | wake-up p99 | wake-up p99.9 | wake-up max |%n"
                        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), THREADS, MAX_SIZE, rounds, millis / 1000.0));
        double[] medianRate = new double[pools.size()];
        for (int p = 0; p < pools.size(); p++) {
            List<double[]> rs = results.get(pools.get(p));
            b.append("| ").append(pools.get(p));
            for (int col = 0; col < 12; col++) {
                List<Double> v = new ArrayList<>();
                for (double[] r : rs) {
                    v.add(r[col]);
                }
                v.sort(null);
                double median = v.get(v.size() / 2);
                if (col == 0) {
                    medianRate[p] = median;
                    b.append(String.format(Locale.ROOT, " | %,.0f [%,.0f-%,.0f]", median, v.get(0), v.get(v.size() - 1)));
                } else if (col < 5 || col > 7) {
                    b.append(String.format(Locale.ROOT, " | %.2f ms [%.2f-%.2f]", median, v.get(0), v.get(v.size() - 1)));
                } else if (col == 6) {
                    b.append(String.format(Locale.ROOT, " | %,.0f ms [%,.0f-%,.0f]", median, v.get(0), v.get(v.size() - 1)));
                } else {
                    b.append(String.format(Locale.ROOT, " | %.1f%% [%.1f-%.1f]", median, v.get(0), v.get(v.size() - 1)));
                }
            }
            b.append(" |\n");
        }
        if (pools.size() > 1) {
            b.append(String.format(Locale.ROOT, "%n%s / %s throughput: %.2f%n", pools.get(0), pools.get(1),
                    medianRate[0] / medianRate[1]));
            b.append(paired(pools, results));
        }
        return b.toString();
    }

    /**
     * The first pool against the second round by round (they run one after the other in each round, so a
     * round's ratio cancels most of the machine's drift): median [min-max] of the ratios, and in how many
     * rounds the first pool did as well or better (more tasks, a shorter wake-up).
     */
    private static String paired(List<String> pools, Map<String, List<double[]>> results) {
        List<double[]> a = results.get(pools.get(0));
        List<double[]> o = results.get(pools.get(1));
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s / %s round by round:", pools.get(0), pools.get(1)));
        String[] names = {"tasks/s", "wake-up p50", "wake-up p99", "wake-up p99.9", "wake-up max"};
        int[] cols = {0, 8, 9, 10, 11};
        for (int i = 0; i < cols.length; i++) {
            List<Double> ratios = new ArrayList<>();
            int asGood = 0;
            for (int r = 0; r < a.size(); r++) {
                double ratio = a.get(r)[cols[i]] / o.get(r)[cols[i]];
                ratios.add(ratio);
                asGood += (i == 0 ? ratio >= 1 : ratio <= 1) ? 1 : 0;
            }
            ratios.sort(null);
            int n = ratios.size();
            double median = n % 2 == 1 ? ratios.get(n / 2) : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2;
            b.append(String.format(Locale.ROOT, "%s %s %.2f [%.2f-%.2f], as good in %d of %d", i == 0 ? "" : ";", names[i],
                    median, ratios.get(0), ratios.get(n - 1), asGood, n));
        }
        return b.append('\n').toString();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
