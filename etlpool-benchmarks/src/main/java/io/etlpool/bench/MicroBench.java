package io.etlpool.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the micro-benchmarks for every pool (etlpool, HikariCP, Agroal, DBCP2, c3p0, Vibur, Tomcat JDBC)
 * at 1, 2, 4, 8, 16 and 32 threads and prints one table with each pool's ops/ms and etlpool's ratio to
 * the best peer, measured in the same run.
 *
 * <pre>java -jar etlpool-benchmarks/target/benchmarks.jar quick|full [output.md] [pools=etlpool,hikari] [threads=1,2,4]
 *     [only=ConnectionCycle|StatementCycle]</pre>
 */
public final class MicroBench {

    /**
     * Agroal 2.6 keeps tracking statements of a connection held for a whole iteration until the 1 GB heap
     * is exhausted (16+ threads); the JVM then thrashes in GC beyond JMH's timeout, so it is left out of
     * StatementCycle and its cells say so.
     */
    private static final java.util.Set<String> STATEMENT_CYCLE_EXCLUDED = java.util.Set.of("agroal");

    private MicroBench() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        boolean full = args.length > 0 && args[0].equals("full");
        Path out = args.length > 1 && !args[1].contains("=") ? Path.of(args[1]) : null;
        String[] pools = option(args, "pools", String.join(",", Pools.ALL)).split(",");
        List<Integer> threads = new ArrayList<>();
        for (String t : option(args, "threads", "1,2,4,8,16,32").split(",")) {
            threads.add(Integer.parseInt(t.trim()));
        }
        StringBuilder table = new StringBuilder();
        table.append("| benchmark | threads |");
        for (String p : pools) {
            table.append(' ').append(p).append(" ops/ms |");
        }
        table.append(" etlpool / best peer |\n|---|---|");
        for (int i = 0; i <= pools.length; i++) {
            table.append("---|");
        }
        table.append('\n');
        String only = option(args, "only", "");
        for (Class<?> bench : List.of(ConnectionCycleBench.class, StatementCycleBench.class)) {
            if (!only.isEmpty() && !bench.getSimpleName().startsWith(only)) {
                continue;
            }
            for (int t : threads) {
                String[] runPools = bench == StatementCycleBench.class
                        ? java.util.Arrays.stream(pools).filter(p -> !STATEMENT_CYCLE_EXCLUDED.contains(p)).toArray(String[]::new)
                        : pools;
                Map<String, double[]> scores = run(bench, t, runPools, full);
                table.append("| ").append(bench.getSimpleName().replace("Bench", "")).append(" | ").append(t).append(" |");
                double best = 0;
                for (String p : pools) {
                    double[] s = scores.get(p);
                    if (s == null) {
                        table.append(bench == StatementCycleBench.class && STATEMENT_CYCLE_EXCLUDED.contains(p)
                                ? " left out (heap) |" : " failed |"); // the run's log says why
                        continue;
                    }
                    table.append(String.format(Locale.ROOT, " %,.0f ± %,.0f |", s[0], s[1]));
                    if (!p.equals("etlpool")) {
                        best = Math.max(best, s[0]);
                    }
                }
                double[] own = scores.get("etlpool");
                table.append(best > 0 && own != null ? String.format(Locale.ROOT, " %.2f |", own[0] / best) : " - |");
                table.append('\n');
                System.out.println(table);
            }
        }
        String header = String.format(Locale.ROOT, "Cores: %d, JDK: %s %s, mode: %s%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), full ? "full" : "quick");
        System.out.println(header + table);
        if (out != null) {
            Files.writeString(out, header + table);
        }
    }

    private static Map<String, double[]> run(Class<?> bench, int threads, String[] pools, boolean full)
            throws RunnerException {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(bench.getName() + "\\.")
                .param("pool", pools)
                .threads(threads)
                .forks(1)
                .timeout(TimeValue.seconds(60)) // a peer that fails (out of memory, say) must not stall the suite
                .warmupIterations(full ? 3 : 2)
                .warmupTime(TimeValue.seconds(full ? 2 : 1))
                .measurementIterations(full ? 5 : 3)
                .measurementTime(TimeValue.seconds(full ? 2 : 1))
                .jvmArgsAppend("-Xms1g", "-Xmx1g",
                        "-Dcom.mchange.v2.log.MLog=com.mchange.v2.log.FallbackMLog", // c3p0: quiet
                        "-Dcom.mchange.v2.log.FallbackMLog.DEFAULT_CUTOFF_LEVEL=WARNING");
        Collection<RunResult> results;
        try {
            results = new Runner(o.build()).run();
        } catch (RunnerException e) {
            System.err.println("a benchmark run failed: " + e.getMessage());
            return new LinkedHashMap<>(); // its cells show as failed
        }
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (RunResult r : results) {
            String pool = r.getParams().getParam("pool");
            double score = r.getPrimaryResult().getScore();
            double error = r.getPrimaryResult().getScoreError();
            scores.put(pool, new double[]{score, Double.isNaN(error) ? 0 : error});
        }
        return scores;
    }

    private static String option(String[] args, String name, String fallback) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        return fallback;
    }
}
