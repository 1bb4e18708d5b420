package io.etlpool;

import java.util.Locale;

/**
 * "Did you mean ...?" for a misspelt name: the known name nearest to it by edit distance. The pool's
 * configuration (an unknown setting in properties, a file or the environment) and the CLI's job files
 * (an unknown key) name their suggestion with it.
 */
public final class Suggestions {

    private Suggestions() {
    }

    /**
     * The candidate nearest to {@code wrong}, ignoring case, when it is at most {@code maxDistance} edits
     * away; of equally near ones the first in iteration order.
     *
     * @param wrong       the name that matched nothing
     * @param candidates  the names that would have matched
     * @param maxDistance the most edits (insertions, deletions, substitutions) still taken for a typo
     * @return the nearest candidate, or null when none is near enough
     */
    public static String closest(String wrong, Iterable<String> candidates, int maxDistance) {
        String w = wrong.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = maxDistance + 1;
        for (String candidate : candidates) {
            int d = distance(w, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best;
    }

    /** The Levenshtein distance of two strings: the fewest single-character insertions, deletions and substitutions. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
