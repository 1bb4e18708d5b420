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
 * Runs the micro-benchmarks for every pool at 1, 2, 4, 8, 16 and 32 threads and prints one table with
 * each pool's ops/ms and etlpool's ratio to the best peer, measured in the same run.
 *
 * <pre>java -jar etlpool-benchmarks/target/benchmarks.jar quick|full [output.md] [pools=etlpool,hikari] [threads=1,2,4]
 *     [only=ConnectionCycle|StatementCycle]</pre>
 */
public final class MicroBench {

    private MicroBench() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        boolean full = args.length > 0 && args[0].equals("full");
        Path out = args.length > 1 && !args[1].contains("=") ? Path.of(args[1]) : null;
        String[] pools = option(args, "pools", "etlpool,hikari").split(",");
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
                Map<String, double[]> scores = run(bench, t, pools, full);
                table.append("| ").append(bench.getSimpleName().replace("Bench", "")).append(" | ").append(t).append(" |");
                double best = 0;
                for (String p : pools) {
                    double[] s = scores.get(p);
                    table.append(String.format(Locale.ROOT, " %,.0f ± %,.0f |", s[0], s[1]));
                    if (!p.equals("etlpool")) {
                        best = Math.max(best, s[0]);
                    }
                }
                table.append(best > 0 ? String.format(Locale.ROOT, " %.2f |", scores.get("etlpool")[0] / best) : " - |");
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
                .warmupIterations(full ? 3 : 2)
                .warmupTime(TimeValue.seconds(full ? 2 : 1))
                .measurementIterations(full ? 5 : 3)
                .measurementTime(TimeValue.seconds(full ? 2 : 1))
                .jvmArgsAppend("-Xms1g", "-Xmx1g");
        Collection<RunResult> results = new Runner(o.build()).run();
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
