package io.etlpool.spark.internal;

import java.util.Collection;
import java.util.Locale;

/**
 * The known name closest to a misspelt one. The CLI's job-file parser and the pool's settings have the same
 * idea, but both keep it in package-private code, so the Spark options carry their own small copy.
 */
final class Suggestion {

    private Suggestion() {
    }

    /** The known name at most 2 edits (case ignored) from {@code wrong}, or null. */
    static String closest(String wrong, Collection<String> known) {
        String best = null;
        int bestEdits = 3;
        String w = wrong.toLowerCase(Locale.ROOT);
        for (String k : known) {
            int d = edits(w, k.toLowerCase(Locale.ROOT));
            if (d < bestEdits) {
                bestEdits = d;
                best = k;
            }
        }
        return best;
    }

    /** Levenshtein distance, two rows. */
    private static int edits(String a, String b) {
        int[] before = new int[b.length() + 1];
        int[] now = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            before[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            now[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int replace = before[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                now[j] = Math.min(replace, Math.min(now[j - 1], before[j]) + 1);
            }
            int[] swap = before;
            before = now;
            now = swap;
        }
        return before[b.length()];
    }
}
