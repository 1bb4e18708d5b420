package io.etlpool.bench;

import io.etlpool.EtlPool;
import io.etlpool.embedded.EmbeddedPostgres;
import io.etlpool.etl.EtlJob;
import io.etlpool.etl.JobResult;
import io.etlpool.etl.LoadMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The binary COPY relay against the row path and the psql binary pipe, interleaved, on an embedded
 * PostgreSQL: {@code bigint + 4 x float8} rows, truncate-insert, parallelism 2, 4 partitions. Prints each
 * round's seconds with the load average, then medians; checks the relay's target against the source.
 *
 * <pre>java -cp etlpool-benchmarks/target/benchmarks.jar io.etlpool.bench.RelayBench [rows] [rounds]</pre>
 */
public final class RelayBench {
    private RelayBench() {
    }

    public static void main(String[] a) throws Exception {
        int rows = a.length > 0 ? Integer.parseInt(a[0]) : 1_000_000;
        int rounds = a.length > 1 ? Integer.parseInt(a[1]) : 3;
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
             EtlPool pool = EtlPool.builder().jdbcUrl(pg.jdbcUrl()).username(pg.superuser()).password(pg.password()).maxSize(8).build()) {
            String cols = "id bigint PRIMARY KEY, a float8, b float8, c float8, d float8";
            pool.execute("CREATE TABLE src (" + cols + ")");
            pool.execute("INSERT INTO src SELECT g, random(), random() * 1e6, g / 7.0, -random() FROM generate_series(1, " + rows + ") g");
            pool.execute("VACUUM ANALYZE src");
            for (String t : List.of("dst_relay", "dst_rows", "dst_psql")) pool.execute("CREATE TABLE " + t + " (" + cols + ")");
            Path psql = pg.binaries().binDirectory().resolve("psql");
            Map<String, List<Double>> secs = new LinkedHashMap<>();
            for (int r = 0; r < rounds + 1; r++) {
                double relay = job(pool, "dst_relay", true, rows);
                double old = job(pool, "dst_rows", false, rows);
                double pipe = pipe(pg, psql);
                System.out.printf(Locale.ROOT, "round %d%s: relay %.2f s, rows %.2f s, psql binary pipe %.2f s, load %s%n", r, r == 0 ? " (warm-up)" : "", relay, old, pipe,
                        Files.readString(Path.of("/proc/loadavg")).trim());
                if (r > 0) {
                    secs.computeIfAbsent("relay", k -> new ArrayList<>()).add(relay);
                    secs.computeIfAbsent("rows", k -> new ArrayList<>()).add(old);
                    secs.computeIfAbsent("pipe", k -> new ArrayList<>()).add(pipe);
                }
            }
            System.out.println(pool.query("SELECT (SELECT md5(string_agg(x::text, '|' ORDER BY id)) FROM src x) = (SELECT md5(string_agg(x::text, '|' ORDER BY id)) FROM dst_relay x)"));
            for (var e : secs.entrySet()) { List<Double> l = e.getValue(); Collections.sort(l); System.out.printf(Locale.ROOT, "%s median %.2f s [%.2f-%.2f] = %,.0f rows/s%n", e.getKey(), l.get(l.size()/2), l.get(0), l.get(l.size()-1), rows / l.get(l.size()/2)); }
        }
    }

    static double job(EtlPool pool, String to, boolean relay, int rows) throws Exception {
        EtlJob job = EtlJob.builder("b-" + to).source(pool, "SELECT * FROM src").partitionColumn("id").partitions(4).parallelism(2)
                .chunkSize(50_000).target(pool, to).mode(LoadMode.TRUNCATE_INSERT).binaryRelay(relay).build();
        long t = System.nanoTime();
        JobResult res = job.runFromScratch();
        double s = (System.nanoTime() - t) / 1e9;
        if (res.rowsWritten() != rows || !res.path().equals(relay ? "binary relay" : "rows (reason: binaryRelay is off)")) throw new IllegalStateException(res.path());
        return s;
    }

    static double pipe(EmbeddedPostgres pg, Path psql) throws Exception {
        String conn = "-h " + pg.host() + " -p " + pg.port() + " -U " + pg.superuser() + " -d postgres -q";
        String cmd = psql + " " + conn + " -c 'TRUNCATE dst_psql' && " + psql + " " + conn
                + " -c '\\copy (SELECT * FROM src) to stdout (format binary)' | " + psql + " " + conn + " -c '\\copy dst_psql from stdin (format binary)'";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", pg.password());
        long t = System.nanoTime();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException(out);
        return (System.nanoTime() - t) / 1e9;
    }
}
