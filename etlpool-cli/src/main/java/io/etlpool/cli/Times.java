package io.etlpool.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A time as a job file or an option writes it: a whole number and a unit, {@code 30s}, {@code 10m}, {@code 2h}. */
final class Times {

    private static final Pattern TIME = Pattern.compile("(\\d+)\\s*([smhd])");

    private Times() {
    }

    /** The time, or null when the text is not one. */
    static Duration parse(String text) {
        Matcher m = TIME.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "s":
                return Duration.ofSeconds(n);
            case "m":
                return Duration.ofMinutes(n);
            case "h":
                return Duration.ofHours(n);
            default:
                return Duration.ofDays(n);
        }
    }
}
