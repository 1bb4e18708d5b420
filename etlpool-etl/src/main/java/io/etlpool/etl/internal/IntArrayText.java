package io.etlpool.etl.internal;

import org.postgresql.util.PGobject;

import java.sql.SQLException;
import java.util.Arrays;

/**
 * An array of an integer type (int2[], int4[], int8[]) in the text form PostgreSQL's array output writes
 * ({@code {1,NULL,3}}, {@code {{1,2},{3,4}}}, {@code {}}, {@code [0:1]={7,8}}), written in the array's binary
 * form. Only that exact form is taken: bounds other than 1 only as the {@code [lower:upper]=} prefix that
 * names every dimension, no spaces, no quotes, no {@code +} or leading zeros, elements within the element
 * type, rectangular, at most 6 dimensions. For any other text {@link #parse} says null and the chunk goes
 * by COPY text, where the array's input function reads it as it always did.
 */
final class IntArrayText {

    private static final int MAXDIM = 6;

    private final int elementOid;
    private final int elementSize;
    private final long min;
    private final long max;

    /** The parse of one value: its dimensions and its elements in row-major order. */
    static final class Parsed {
        int ndim;
        final int[] dims = new int[MAXDIM];
        final long[] lowerBounds = {1, 1, 1, 1, 1, 1};
        long[] values = new long[8];
        boolean[] nulls = new boolean[8];
        int count;
        boolean hasNull;
        /** The last integer {@link #integer} read: an out-parameter without an allocation per element. */
        long number;

        void add(long v, boolean isNull) {
            if (count == values.length) {
                values = Arrays.copyOf(values, count * 2);
                nulls = Arrays.copyOf(nulls, count * 2);
            }
            values[count] = v;
            nulls[count++] = isNull;
            hasNull |= isNull;
        }
    }

    IntArrayText(int elementOid, int elementSize, long min, long max) {
        this.elementOid = elementOid;
        this.elementSize = elementSize;
        this.min = min;
        this.max = max;
    }

    /** The text of a value an int array column may get: a String or a PGobject's value; null for others. */
    static String text(Object v) {
        if (v instanceof String) {
            return (String) v;
        }
        return v instanceof PGobject ? ((PGobject) v).getValue() : null;
    }

    /**
     * Writes the value's field (a String or PGobject; a PGobject without a value is NULL), parsing it once;
     * false, with nothing written, when it is not in that exact form.
     */
    boolean write(Object v, BinaryTuples.Sink out) throws SQLException {
        if (v instanceof PGobject && ((PGobject) v).getValue() == null) {
            out.int32(-1);
            return true;
        }
        String s = text(v);
        Parsed p = s == null ? null : parse(s);
        if (p == null) {
            return false;
        }
        long length = 12L + 8L * p.ndim;
        for (int i = 0; i < p.count; i++) {
            length += p.nulls[i] ? 4 : 4 + elementSize;
        }
        if (length > Integer.MAX_VALUE) {
            throw new SQLException("an array of " + p.count + " elements is too large for one field", "54000");
        }
        out.int32((int) length);
        out.int32(p.ndim);
        out.int32(p.hasNull ? 1 : 0);
        out.int32(elementOid);
        for (int d = 0; d < p.ndim; d++) {
            out.int32(p.dims[d]);
            out.int32((int) p.lowerBounds[d]);
        }
        for (int i = 0; i < p.count; i++) {
            if (p.nulls[i]) {
                out.int32(-1);
            } else {
                out.field(p.values[i], elementSize);
            }
        }
        return true;
    }

    /** The array this text is in array output's exact form, or null. */
    Parsed parse(String s) {
        Parsed p = new Parsed();
        if ("{}".equals(s)) {
            return p; // the empty array: no dimensions
        }
        int start = 0;
        int bounded = 0; // dimensions named by a [lower:upper] prefix
        long[] sizes = new long[MAXDIM];
        while (start < s.length() && s.charAt(start) == '[') {
            if (bounded == MAXDIM) {
                return null;
            }
            int colon = integer(s, start + 1, p, Integer.MIN_VALUE, Integer.MAX_VALUE);
            if (colon < 0 || colon >= s.length() || s.charAt(colon) != ':') {
                return null;
            }
            p.lowerBounds[bounded] = p.number;
            int close = integer(s, colon + 1, p, Integer.MIN_VALUE, Integer.MAX_VALUE);
            if (close < 0 || close >= s.length() || s.charAt(close) != ']') {
                return null;
            }
            sizes[bounded] = p.number - p.lowerBounds[bounded] + 1;
            bounded++;
            start = close + 1;
        }
        if (bounded > 0) {
            if (start >= s.length() || s.charAt(start) != '=') {
                return null;
            }
            start++;
        }
        int end = level(s, start, 0, p);
        if (end != s.length() || (bounded > 0 && bounded != p.ndim)) {
            return null;
        }
        for (int d = 0; d < bounded; d++) {
            if (sizes[d] != p.dims[d]) {
                return null;
            }
        }
        return p;
    }

    /** Parses one {...} at this depth from pos; returns the position after it, or -1. */
    private int level(String s, int pos, int depth, Parsed p) {
        if (depth >= MAXDIM || pos >= s.length() || s.charAt(pos) != '{') {
            return -1;
        }
        pos++;
        int items = 0;
        while (true) {
            if (pos < s.length() && s.charAt(pos) == '{') {
                pos = level(s, pos, depth + 1, p);
            } else {
                // an element: every element sits at the same depth
                if (p.ndim == 0) {
                    p.ndim = depth + 1;
                } else if (p.ndim != depth + 1) {
                    return -1;
                }
                pos = element(s, pos, p);
            }
            if (pos < 0 || pos >= s.length()) {
                return -1;
            }
            items++;
            char c = s.charAt(pos++);
            if (c == '}') {
                break;
            }
            if (c != ',') {
                return -1;
            }
        }
        if (p.dims[depth] == 0) {
            p.dims[depth] = items;
        } else if (p.dims[depth] != items) {
            return -1; // not rectangular
        }
        return pos;
    }

    private int element(String s, int pos, Parsed p) {
        if (s.startsWith("NULL", pos)) {
            p.add(0, true);
            return pos + 4;
        }
        pos = integer(s, pos, p, min, max);
        if (pos >= 0) {
            p.add(p.number, false);
        }
        return pos;
    }

    /** An integer as PostgreSQL writes it (-?digits, no leading zeros) within [lo, hi], into p.number; the end or -1. */
    private static int integer(String s, int pos, Parsed p, long lo, long hi) {
        int start = pos;
        boolean negative = pos < s.length() && s.charAt(pos) == '-';
        if (negative) {
            pos++;
        }
        int digits = pos;
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
            pos++;
        }
        int n = pos - digits;
        if (n == 0 || n > 19 || (s.charAt(digits) == '0' && (n > 1 || negative))) {
            return -1;
        }
        try {
            p.number = Long.parseLong(s, start, pos, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
        return p.number >= lo && p.number <= hi ? pos : -1;
    }
}
