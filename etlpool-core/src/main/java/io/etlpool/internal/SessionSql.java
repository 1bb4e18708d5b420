package io.etlpool.internal;

/**
 * A cheap look at SQL text for statements that change session state (resetOnReturn AUTO): only the first
 * keywords, case-insensitively, after leading white space and parentheses. A {@code SELECT} counts when
 * the first thing it selects is {@code set_config(...)} (PostgreSQL's function form of SET); a call
 * further into the statement is not looked for, as that would mean reading every statement whole.
 */
final class SessionSql {

    /** Nothing seen. */
    static final int CLEAN = 0;
    /** A SET or RESET: RESET ALL undoes it. */
    static final int SETTINGS = 1;
    /** Prepared statements, LISTEN, temporary tables, cursors, role: DISCARD ALL undoes it. */
    static final int SESSION = 2;

    private SessionSql() {
    }

    static int classify(String sql) {
        if (sql == null) {
            return CLEAN;
        }
        int i = skipSpace(sql, 0);
        if (i >= sql.length()) {
            return CLEAN;
        }
        switch (Character.toUpperCase(sql.charAt(i))) {
            case 'S':
                return startingWithS(sql, i);
            case 'R':
                return word(sql, i, "RESET") ? SETTINGS : CLEAN;
            case 'P':
                return word(sql, i, "PREPARE") ? SESSION : CLEAN;
            case 'L':
                return word(sql, i, "LISTEN") ? SESSION : CLEAN;
            case 'D':
                return word(sql, i, "DECLARE") ? SESSION : CLEAN;
            case 'C':
                if (word(sql, i, "CREATE")) {
                    int j = skipSpace(sql, i + 6);
                    if (word(sql, j, "LOCAL") || word(sql, j, "GLOBAL")) {
                        j = skipSpace(sql, j + 6);
                    }
                    return word(sql, j, "TEMP") || word(sql, j, "TEMPORARY") ? SESSION : CLEAN;
                }
                return CLEAN;
            default:
                return CLEAN;
        }
    }

    /**
     * SET (SET ROLE and SET SESSION AUTHORIZATION apart), or a SELECT of set_config. Out of
     * {@link #classify}, which stays small enough for the JIT to inline it into every statement call.
     */
    private static int startingWithS(String sql, int i) {
        if (word(sql, i, "SET")) {
            int j = skipSpace(sql, i + 3);
            return word(sql, j, "ROLE") || word(sql, j, "SESSION") && word(sql, skipSpace(sql, j + 7), "AUTHORIZATION")
                    ? SESSION : SETTINGS;
        }
        // most statements here are SELECTs of something else: two compares (the character after SELECT
        // is a separator, the next one could start set_config) before the full look
        if (i + 7 >= sql.length() || !separator(sql.charAt(i + 6)) || !separatorOrSetConfig(sql.charAt(i + 7))) {
            return CLEAN;
        }
        return word(sql, i, "SELECT") && setConfig(sql, skipSpace(sql, i + 6)) ? SETTINGS : CLEAN;
    }

    private static boolean separator(char c) {
        return c == ' ' || c == '(' || c == '\n' || c == '\t' || c == '\r';
    }

    private static boolean separatorOrSetConfig(char c) {
        int lower = c | 0x20;
        return lower == 's' || lower == 'p' || separator(c);
    }

    /**
     * {@code set_config(} or {@code pg_catalog.set_config(} at i. Also when its third argument is true
     * (the change ends with the transaction): telling that apart would mean parsing the arguments, and a
     * RESET ALL after it is merely unneeded.
     */
    private static boolean setConfig(String s, int i) {
        int at = s.regionMatches(true, i, "pg_catalog.", 0, 11) ? i + 11 : i;
        if (!s.regionMatches(true, at, "set_config", 0, 10)) {
            return false;
        }
        int k = at + 10;
        while (k < s.length() && Character.isWhitespace(s.charAt(k))) {
            k++;
        }
        return k < s.length() && s.charAt(k) == '(';
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && (Character.isWhitespace(s.charAt(i)) || s.charAt(i) == '(')) {
            i++;
        }
        return i;
    }

    /** The keyword at i, followed by a non-letter or the end. */
    private static boolean word(String s, int i, String keyword) {
        int end = i + keyword.length();
        return s.regionMatches(true, i, keyword, 0, keyword.length())
                && (end == s.length() || !Character.isLetterOrDigit(s.charAt(end)) && s.charAt(end) != '_');
    }
}
