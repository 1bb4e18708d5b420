package io.etlpool.etl.internal;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a target column's type holds every value of a source column's type unchanged, text form
 * included: the same type, or a wider one of the same kind (a longer varchar, text for a varchar, a
 * larger integer, more precision at the same scale, finer seconds). Nothing that rounds, pads or
 * reformats (real to double precision prints differently; char(n) to text drops the padding).
 */
final class TypeFit {

    private static final Pattern MODIFIED = Pattern.compile("([a-z ]+?)(?:\\((\\d+)(?:,(\\d+))?\\))?( with(?:out)? time zone)?");
    private static final Map<String, Set<String>> WIDER = Map.of(
            "smallint", Set.of("integer", "bigint", "numeric"),
            "integer", Set.of("bigint", "numeric"),
            "bigint", Set.of("numeric"),
            "character varying", Set.of("text"),
            "text", Set.of("character varying"));
    private static final Set<String> PRECISION = Set.of("timestamp", "time", "interval");

    private TypeFit() {
    }

    static boolean fits(String source, String target) {
        if (source.equals(target)) {
            return true;
        }
        Matcher s = MODIFIED.matcher(source);
        Matcher t = MODIFIED.matcher(target);
        if (!s.matches() || !t.matches() || !same(s.group(4), t.group(4))) {
            return false;
        }
        String sb = s.group(1);
        String tb = t.group(1);
        if (t.group(2) == null) { // no modifier on the target: any length or precision of the same type fits
            return sb.equals(tb) ? !"character".equals(sb) && !"bit".equals(sb) || s.group(2) == null
                    : WIDER.getOrDefault(sb, Set.of()).contains(tb) && s.group(4) == null;
        }
        if (!sb.equals(tb) || s.group(2) == null) {
            return false;
        }
        int sp = Integer.parseInt(s.group(2));
        int tp = Integer.parseInt(t.group(2));
        switch (sb) {
            case "character varying":
            case "bit varying":
                return tp >= sp;
            case "numeric":
                return tp >= sp && same(s.group(3), t.group(3));
            default:
                return PRECISION.contains(sb) && tp >= sp && s.group(3) == null;
        }
    }

    private static boolean same(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }
}
