package io.etlpool.bench;

import java.util.List;
import java.util.Locale;

/** A plain grouped bar chart as SVG text: no dependencies, readable in any browser or on GitHub. */
final class SvgChart {

    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f"};

    private SvgChart() {
    }

    /**
     * @param title  the chart's title
     * @param groups the labels under each group of bars
     * @param series one name per bar within a group
     * @param values values[series][group]; NaN draws no bar
     * @param unit   the axis unit
     */
    static String bars(String title, List<String> groups, List<String> series, double[][] values, String unit) {
        double max = 0;
        for (double[] row : values) {
            for (double v : row) {
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        max = max <= 0 ? 1 : max * 1.1;
        int barWidth = 12;
        int groupWidth = series.size() * barWidth + 20;
        int width = 80 + groups.size() * groupWidth + 160;
        int height = 320;
        int plotTop = 40;
        int plotBottom = 270;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", width, height));
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        b.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"20\" font-size=\"14\">%s</text>%n", escape(title)));
        for (int t = 0; t <= 4; t++) {
            double v = max * t / 4;
            int y = plotBottom - (int) ((plotBottom - plotTop) * t / 4.0);
            b.append(String.format(Locale.ROOT, "<line x1=\"70\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"65\" y=\"%d\" text-anchor=\"end\">%s</text>%n", y, width - 160, y, y + 4, label(v)));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text>%n", plotTop - 8, escape(unit)));
        for (int g = 0; g < groups.size(); g++) {
            int x0 = 80 + g * groupWidth;
            for (int s = 0; s < series.size(); s++) {
                double v = values[s][g];
                if (Double.isNaN(v)) {
                    continue;
                }
                int h = (int) ((plotBottom - plotTop) * v / max);
                b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
                                + "<title>%s: %s</title></rect>%n", x0 + s * barWidth, plotBottom - h, barWidth - 2, h,
                        COLOURS[s % COLOURS.length], escape(series.get(s)), label(v)));
            }
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    x0 + series.size() * barWidth / 2, plotBottom + 16, escape(groups.get(g))));
        }
        for (int s = 0; s < series.size(); s++) {
            int y = plotTop + s * 16;
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", width - 150, y, COLOURS[s % COLOURS.length], width - 135,
                    y + 9, escape(series.get(s))));
        }
        return b.append("</svg>\n").toString();
    }

    private static String label(double v) {
        return v >= 10_000 ? String.format(Locale.ROOT, "%,.0fk", v / 1000) : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
