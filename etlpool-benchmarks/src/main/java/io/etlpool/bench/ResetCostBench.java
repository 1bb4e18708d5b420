package io.etlpool.bench;

import io.etlpool.EtlPool;
import io.etlpool.ResetMode;
import io.etlpool.embedded.EmbeddedPostgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cost of resetOnReturn: short tasks (borrow, SELECT 1, give back) on 4 threads, per mode, with a
 * task that changes nothing and one that runs a SET first. Prints tasks/s per cell (median of the rounds).
 *
 * <pre>
 * mvn -B -q -pl etlpool-benchmarks -am package -DskipTests
 * java -cp etlpool-benchmarks/target/benchmarks.jar io.etlpool.bench.ResetCostBench [rounds] [seconds]
 * </pre>
 */
public final class ResetCostBench {

    private static final int THREADS = 4;

    private ResetCostBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        long millis = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 3).toMillis();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            System.out.println("| resetOnReturn | task | tasks/s (median of " + rounds + ") |");
            System.out.println("|---|---|---:|");
            for (ResetMode mode : ResetMode.values()) {
                for (boolean set : new boolean[]{false, true}) {
                    List<Double> rates = new ArrayList<>();
                    try (EtlPool pool = EtlPool.builder().jdbcUrl(pg.jdbcUrl()).username(pg.superuser())
                            .password(pg.password()).minSize(THREADS).maxSize(THREADS).resetOnReturn(mode)
                            .registerMBean(false).build()) {
                        run(pool, set, 1_000); // warm-up
                        for (int r = 0; r < rounds; r++) {
                            rates.add(run(pool, set, millis));
                        }
                    }
                    rates.sort(null);
                    System.out.printf(Locale.ROOT, "| %s | %s | %,.0f |%n", mode, set ? "SET, then SELECT 1" : "SELECT 1",
                            rates.get(rates.size() / 2));
                }
            }
        }
    }

    private static double run(EtlPool pool, boolean set, long millis) throws Exception {
        LongAdder tasks = new LongAdder();
        long end = System.nanoTime() + Duration.ofMillis(millis).toNanos();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(executor.submit(() -> {
                    while (System.nanoTime() < end) {
                        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                            if (set) {
                                s.execute("SET work_mem = '8MB'");
                            }
                            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                                rs.next();
                            }
                        }
                        tasks.increment();
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } finally {
            executor.shutdownNow();
        }
        return tasks.sum() * 1000.0 / millis;
    }
}
