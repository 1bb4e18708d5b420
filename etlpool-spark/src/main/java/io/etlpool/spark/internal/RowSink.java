package io.etlpool.spark.internal;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/** Where a partition's rows go in its transaction: COPY (CSV) or batched INSERTs, values as text. */
interface RowSink {

    /** One row's values as text (null for SQL NULL). */
    void add(String[] values) throws SQLException;

    /** Sends what is buffered and ends the load (the transaction stays open). */
    void finish() throws SQLException;

    /** Gives up a load in progress (before a rollback). */
    void cancel();

    static RowSink open(Connection c, String method, String table, String columns, int count, int batchSize)
            throws SQLException {
        return method.equals(WriteSpec.COPY) ? new Copy(c, table, columns, batchSize)
                : new Batch(c, table, columns, count, batchSize);
    }

    /** {@code COPY ... FROM STDIN (FORMAT csv)}: every non-null value quoted, NULL as an unquoted empty field. */
    final class Copy implements RowSink {
        private static final int FLUSH_CHARS = 1 << 20;
        private final CopyIn copy;
        private final int batchSize;
        private final StringBuilder buffer = new StringBuilder(FLUSH_CHARS + 4096);
        private int buffered;

        Copy(Connection c, String table, String columns, int batchSize) throws SQLException {
            this.copy = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + table + " (" + columns + ") FROM STDIN (FORMAT csv)");
            this.batchSize = batchSize;
        }

        @Override
        public void add(String[] values) throws SQLException {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    buffer.append(',');
                }
                String v = values[i];
                if (v != null) {
                    buffer.append('"');
                    for (int j = 0; j < v.length(); j++) {
                        char ch = v.charAt(j);
                        if (ch == '"') {
                            buffer.append('"');
                        }
                        buffer.append(ch);
                    }
                    buffer.append('"');
                }
            }
            buffer.append('\n');
            if (++buffered >= batchSize || buffer.length() >= FLUSH_CHARS) {
                flush();
            }
        }

        private void flush() throws SQLException {
            if (buffer.length() > 0) {
                byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
                copy.writeToCopy(bytes, 0, bytes.length);
                buffer.setLength(0);
            }
            buffered = 0;
        }

        @Override
        public void finish() throws SQLException {
            flush();
            copy.endCopy();
        }

        @Override
        public void cancel() {
            try {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            } catch (SQLException | RuntimeException ignored) {
                // the connection is rolled back or discarded next
            }
        }
    }

    /** Batched {@code INSERT}, each value bound as text of no declared type, for the server to convert. */
    final class Batch implements RowSink {
        private final PreparedStatement insert;
        private final int batchSize;
        private int buffered;

        Batch(Connection c, String table, String columns, int count, int batchSize) throws SQLException {
            StringBuilder marks = new StringBuilder();
            for (int i = 0; i < count; i++) {
                marks.append(i == 0 ? "?" : ", ?");
            }
            this.insert = c.prepareStatement("INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ")");
            this.batchSize = batchSize;
        }

        @Override
        public void add(String[] values) throws SQLException {
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    insert.setNull(i + 1, Types.OTHER);
                } else {
                    insert.setObject(i + 1, values[i], Types.OTHER);
                }
            }
            insert.addBatch();
            if (++buffered >= batchSize) {
                insert.executeBatch();
                buffered = 0;
            }
        }

        @Override
        public void finish() throws SQLException {
            if (buffered > 0) {
                insert.executeBatch();
            }
            insert.close();
        }

        @Override
        public void cancel() {
            try {
                insert.close();
            } catch (SQLException ignored) {
                // the connection is rolled back or discarded next
            }
        }
    }
}
