package io.etlpool.etl.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.SQLException;

/**
 * Rows as PostgreSQL COPY CSV: NULL is an empty field, every other value is quoted (so an empty string
 * stays an empty string), bytes as {@code \x} hex, times in ISO form with their offset.
 */
final class CsvEncoder {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder line = new StringBuilder(256);

    void row(Object[] values, ByteArrayOutputStream out) throws SQLException {
        line.setLength(0);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            Object v = values[i];
            if (v == null) {
                continue;
            }
            line.append('"');
            String text = text(v);
            for (int j = 0; j < text.length(); j++) {
                char c = text.charAt(j);
                if (c == '"') {
                    line.append('"');
                }
                line.append(c);
            }
            line.append('"');
        }
        line.append('\n');
        byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
    }

    private static String text(Object v) throws SQLException {
        if (v instanceof byte[]) {
            byte[] b = (byte[]) v;
            char[] hex = new char[2 + b.length * 2];
            hex[0] = '\\';
            hex[1] = 'x';
            for (int i = 0; i < b.length; i++) {
                hex[2 + 2 * i] = HEX[(b[i] >> 4) & 0xf];
                hex[3 + 2 * i] = HEX[b[i] & 0xf];
            }
            return new String(hex);
        }
        if (v instanceof Array) {
            return v.toString(); // PgJDBC's array text is PostgreSQL's literal form
        }
        if (v instanceof Boolean) {
            return (Boolean) v ? "t" : "f";
        }
        return v.toString();
    }
}
