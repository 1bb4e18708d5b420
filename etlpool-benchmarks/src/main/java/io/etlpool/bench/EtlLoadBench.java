package io.etlpool.bench;

import io.etlpool.EtlPool;
import io.etlpool.embedded.EmbeddedPostgres;
import io.etlpool.etl.EtlJob;
import io.etlpool.etl.LoadMethod;
import io.etlpool.etl.LoadMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * ETL load rates on a real PostgreSQL (embedded, same machine), each the median of several runs:
 * etlpool COPY against the psql {@code \copy} pipe, and etlpool batch against one INSERT per row.
 *
 * <pre>java -cp etlpool-benchmarks/target/benchmarks.jar io.etlpool.bench.EtlLoadBench [copyRows] [batchRows] [runs] [out.md] [docs/BENCHMARKS.md]</pre>
 * With the last argument it also rewrites the etl section of that file and its chart in docs/bench/.
 */
public final class EtlLoadBench {

    private static final String COLUMNS = "id bigint PRIMARY KEY, customer int, amount numeric(12,2), note text, "
            + "created timestamptz";

    private static final int COPY_PARALLELISM = 2;
    /**
     * Discarded runs before the measured ones. The job's rate climbs over its first runs as the JIT
     * compiles the extract and encode loops (seen: 276k, 488k, 566k, 667k rows/s in four consecutive
     * runs); the psql pipe is native code and needs none. The docs report the warm rate and say so.
     */
    private static final int WARM_UP_RUNS = 2;

    private EtlLoadBench() {
    }

    public static void main(String[] args) throws Exception {
        int copyRows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int batchRows = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path out = args.length > 3 ? Path.of(args[3]) : null;
        Path doc = args.length > 4 ? Path.of(args[4]) : null;
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
             EtlPool pool = EtlPool.builder().jdbcUrl(pg.jdbcUrl()).username(pg.superuser()).password(pg.password())
                     .property("reWriteBatchedInserts", "true").maxSize(2 * COPY_PARALLELISM).build()) {
            source(pool, "src", copyRows);
            source(pool, "src_small", batchRows);
            for (String t : List.of("dst_psql", "dst_copy", "dst_batch", "dst_single")) {
                pool.execute("CREATE TABLE " + t + " (" + COLUMNS + ")");
            }
            Path psql = pg.binaries().binDirectory().resolve("psql");
            Rates psqlRates = Files.isExecutable(psql) ? measure(runs, () -> psqlPipe(pg, psql, copyRows)) : null;
            double psqlRate = psqlRates == null ? Double.NaN : psqlRates.median;
            for (int i = 0; i < WARM_UP_RUNS; i++) {
                job(pool, "src", "dst_copy", LoadMethod.COPY, COPY_PARALLELISM, copyRows);
                job(pool, "src_small", "dst_batch", LoadMethod.BATCH, 1, batchRows);
            }
            Rates copy = measure(runs, () -> job(pool, "src", "dst_copy", LoadMethod.COPY, COPY_PARALLELISM, copyRows));
            Rates batch = measure(runs, () -> job(pool, "src_small", "dst_batch", LoadMethod.BATCH, 1, batchRows));
            Rates single = measure(runs, () -> singleInserts(pool, batchRows));
            double copyRate = copy.median;
            double batchRate = batch.median;
            double singleRate = single.median;

            String table = String.format(Locale.ROOT, "Measured %s on %d cores, JDK %s, PostgreSQL %s (embedded, fsync off), "
                            + "median of %d runs [min-max] after %d discarded warm-up runs of each job%n%n"
                            + "| load | rows | rows/s | ratio |%n|---|---|---|---|%n"
                            + "| psql `\\copy (SELECT ...) to stdout` piped into `psql \\copy ... from stdin` | %,d | %s | reference |%n"
                            + "| etlpool COPY (parallelism 2, 4 partitions) | %,d | %s | %s of psql |%n"
                            + "| one INSERT per row (prepared, one connection, commit every 10,000) | %,d | %s | reference |%n"
                            + "| etlpool BATCH (parallelism 1, reWriteBatchedInserts) | %,d | %s | %.1fx single INSERTs |%n",
                    java.time.LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), version(pool),
                    runs, WARM_UP_RUNS, copyRows, psqlRates == null ? "no psql found" : psqlRates.toString(),
                    copyRows, copy, Double.isNaN(psqlRate) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * copyRate / psqlRate),
                    batchRows, single, batchRows, batch, batchRate / singleRate);
            System.out.println(table);
            if (out != null) {
                Files.writeString(out, table);
            }
            if (doc != null) {
                Path chart = doc.resolveSibling("bench").resolve("etl-load.svg");
                Files.createDirectories(chart.getParent());
                Files.writeString(chart, SvgChart.bars("ETL loads: rows per second", List.of(
                                "bulk (COPY)", "row by row (INSERT)"),
                        List.of("reference", "etlpool"), new double[][]{{psqlRate, singleRate}, {copyRate, batchRate}},
                        "rows/s"));
                DocSection.replace(doc, "etl", table + "\n![ETL load rates](bench/etl-load.svg)\n");
            }
        }
    }

    interface Run {
        double rowsPerSecond() throws Exception;
    }

    /** The median of a cell's runs and their spread. */
    private static final class Rates {
        final double median;
        final double min;
        final double max;

        Rates(List<Double> sorted) {
            this.median = sorted.get(sorted.size() / 2);
            this.min = sorted.get(0);
            this.max = sorted.get(sorted.size() - 1);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,.0f [%,.0f-%,.0f]", median, min, max);
        }
    }

    private static Rates measure(int runs, Run run) throws Exception {
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            rates.add(run.rowsPerSecond());
        }
        Collections.sort(rates);
        return new Rates(rates);
    }

    private static void source(EtlPool pool, String table, int rows) throws SQLException {
        pool.execute("CREATE TABLE " + table + " (" + COLUMNS + ")");
        pool.execute("INSERT INTO " + table + " SELECT g, g % 5000, (g * 1.25)::numeric(12,2), 'order note ' || g, "
                + "timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second' FROM generate_series(1, " + rows + ") g");
        pool.execute("VACUUM ANALYZE " + table);
    }

    private static double job(EtlPool pool, String from, String to, LoadMethod method, int parallelism, int rows)
            throws SQLException {
        EtlJob job = EtlJob.builder("bench-" + to).source(pool, "SELECT * FROM " + from).partitionColumn("id")
                .partitions(parallelism * 2).parallelism(parallelism).chunkSize(50_000).target(pool, to)
                .mode(LoadMode.TRUNCATE_INSERT).method(method).build();
        long start = System.nanoTime();
        long written = job.runFromScratch().rowsWritten();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (written != rows) {
            throw new IllegalStateException("wrote " + written + " of " + rows + " rows");
        }
        return rows / seconds;
    }

    private static double singleInserts(EtlPool pool, int rows) throws SQLException {
        pool.execute("TRUNCATE dst_single");
        long start = System.nanoTime();
        try (Connection src = pool.getConnection(); Connection dst = pool.getConnection()) {
            src.setAutoCommit(false);
            dst.setAutoCommit(false);
            try (Statement s = src.createStatement();
                 PreparedStatement ins = dst.prepareStatement("INSERT INTO dst_single VALUES (?, ?, ?, ?, ?)")) {
                s.setFetchSize(10_000);
                try (ResultSet rs = s.executeQuery("SELECT * FROM src_small")) {
                    int n = 0;
                    while (rs.next()) {
                        for (int i = 1; i <= 5; i++) {
                            ins.setObject(i, rs.getObject(i));
                        }
                        ins.executeUpdate();
                        if (++n % 10_000 == 0) {
                            dst.commit();
                        }
                    }
                }
            }
            dst.commit();
            src.commit();
        }
        return rows / ((System.nanoTime() - start) / 1e9);
    }

    private static double psqlPipe(EmbeddedPostgres pg, Path psql, int rows) throws IOException, InterruptedException {
        String conn = "-h " + pg.host() + " -p " + pg.port() + " -U " + pg.superuser() + " -d postgres -q";
        String cmd = psql + " " + conn + " -c 'TRUNCATE dst_psql' && " + psql + " " + conn
                + " -c '\\copy (SELECT * FROM src) to stdout' | " + psql + " " + conn + " -c '\\copy dst_psql from stdin'";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", pg.password()); // never on the command line
        long start = System.nanoTime();
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("the psql pipe failed: " + output);
        }
        return rows / ((System.nanoTime() - start) / 1e9);
    }

    private static String version(EtlPool pool) throws SQLException {
        return String.valueOf(pool.query("SHOW server_version").get(0).get(0));
    }
}
