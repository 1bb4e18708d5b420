package io.etlpool.bench;

import io.etlpool.embedded.EmbeddedPostgres;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What happens inside the macro suite's spike, for etlpool and HikariCP: per spike, the total time, how
 * many of the 50 tasks each connection served, and when each connection was first used. This is how the
 * docs' explanation of the spike (a second connection arriving after a SCRAM login) was found.
 *
 * <pre>java -cp benchmarks.jar io.etlpool.bench.SpikeTrace [rounds] [minSize maxSize]</pre>
 * With minSize = maxSize the pools do not grow, which shows the hand-off alone. The last lines give the
 * median and quartiles of all spikes per pool.
 */
public final class SpikeTrace {

    private static final int THREADS = 50;

    private SpikeTrace() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int min = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int max = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Map<String, List<Double>> totals = new TreeMap<>();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().maxConnections(400).start()) {
            for (int round = -2; round < rounds; round++) { // two discarded rounds warm the JIT
                for (String pool : List.of("etlpool", "hikari")) {
                    Spike spike = once(pg, pool, min, max);
                    if (round >= 0) {
                        System.out.println(spike.line());
                        totals.computeIfAbsent(pool, k -> new ArrayList<>()).add(spike.millis());
                    }
                }
            }
        }
        totals.forEach((pool, ms) -> {
            Collections.sort(ms);
            System.out.printf(Locale.ROOT, "%-8s %d spikes on minSize %d, maxSize %d: median %.1f ms, "
                    + "quartiles %.1f-%.1f ms%n", pool, ms.size(), min, max, ms.get(ms.size() / 2),
                    ms.get(ms.size() / 4), ms.get(ms.size() * 3 / 4));
        });
    }

    private record Spike(double millis, String line) {
    }

    private static Spike once(EmbeddedPostgres pg, String pool, int min, int max) throws Exception {
        DataSource ds = Pools.create(pool, pg.jdbcUrl(), pg.superuser(), pg.password(), min, max);
        try {
            Pools.warm(ds, min);
            long[] got = new long[THREADS];
            int[] backend = new int[THREADS];
            Burst.Timing timing = Burst.run(THREADS, 50, pool, id -> { // 50 ms: every thread parks on the latch
                try (Connection c = ds.getConnection();
                     PreparedStatement ps = c.prepareStatement("SELECT pg_backend_pid()")) {
                    got[id] = System.nanoTime();
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        backend[id] = rs.getInt(1);
                    }
                }
            });
            Map<Integer, Integer> uses = new TreeMap<>();
            Map<Integer, Long> firstUse = new TreeMap<>();
            for (int i = 0; i < THREADS; i++) {
                uses.merge(backend[i], 1, Integer::sum);
                firstUse.merge(backend[i], got[i] - timing.start(), Math::min);
            }
            List<Long> first = new ArrayList<>(firstUse.values());
            Collections.sort(first);
            StringBuilder ms = new StringBuilder();
            for (long f : first) {
                ms.append(String.format(Locale.ROOT, " %.1f", f / 1e6));
            }
            double millis = timing.millis();
            return new Spike(millis, String.format(Locale.ROOT, "%-8s all served after %5.1f ms; tasks per "
                    + "connection %s; each connection first used at (ms):%s", pool, millis, uses.values(), ms));
        } finally {
            Pools.close(ds);
        }
    }
}
