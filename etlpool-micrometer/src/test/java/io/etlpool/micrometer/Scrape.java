package io.etlpool.micrometer;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.LinkedHashMap;
import java.util.Map;

/** A Prometheus scrape as the text a Prometheus server reads, and its samples by series. */
final class Scrape {

    final String text;
    final Map<String, Double> samples = new LinkedHashMap<>();

    Scrape(PrometheusMeterRegistry registry) {
        text = registry.scrape();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
    }

    /** The value of one series, e.g. {@code etlpool_connections_active{pool="orders"}}; fails if absent. */
    double value(String series) {
        Double v = samples.get(series);
        if (v == null) {
            throw new AssertionError("no series " + series + " in the scrape:\n" + text);
        }
        return v;
    }
}
