package io.etlpool.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Draws an {@link SvgChart} for a shell benchmark: reads {@code group<TAB>series<TAB>value} lines from stdin
 * (groups and series in the order they first appear) and writes the chart to a file.
 * {@code java -cp benchmarks.jar io.etlpool.bench.BarChartFile TITLE UNIT OUT.svg < values.tsv}
 */
public final class BarChartFile {

    private BarChartFile() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: BarChartFile TITLE UNIT OUT.svg < group<TAB>series<TAB>value lines");
            System.exit(2);
        }
        List<String> groups = new ArrayList<>();
        List<String> series = new ArrayList<>();
        List<String[]> lines = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 3) {
                throw new IllegalArgumentException("expected group<TAB>series<TAB>value, got: " + line);
            }
            if (!groups.contains(f[0])) {
                groups.add(f[0]);
            }
            if (!series.contains(f[1])) {
                series.add(f[1]);
            }
            lines.add(f);
        }
        double[][] values = new double[series.size()][groups.size()];
        for (double[] row : values) {
            Arrays.fill(row, Double.NaN);
        }
        for (String[] f : lines) {
            values[series.indexOf(f[1])][groups.indexOf(f[0])] = Double.parseDouble(f[2]);
        }
        Files.writeString(Path.of(args[2]), SvgChart.bars(args[0], groups, series, values, args[1]));
    }
}
