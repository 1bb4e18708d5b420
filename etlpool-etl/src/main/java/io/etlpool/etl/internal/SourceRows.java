package io.etlpool.etl.internal;

import org.postgresql.copy.CopyOut;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The rows of one partition attempt as the row path takes them: each with its partition key and its
 * values as Java objects. Read from the driver's results ({@link #jdbc}), or decoded from binary COPY
 * ({@link #binary}) into the same Java values.
 */
abstract class SourceRows implements AutoCloseable {

    protected Object key;
    protected Object[] values;

    /** Moves to the next row; false at the end. */
    abstract boolean next() throws SQLException;

    /** The current row's partition key (null for an unpartitioned job). */
    final Object key() {
        return key;
    }

    /** The current row's values, a new array per row. */
    final Object[] values() {
        return values;
    }

    @Override
    public abstract void close() throws SQLException;

    /** The extraction's query through the driver (text results, each column read by its codec). */
    static SourceRows jdbc(PreparedStatement ps, Partition partition, Extraction extraction) throws SQLException {
        ResultSet rs = ps.executeQuery();
        boolean bounded = partition.bounded();
        int first = bounded ? 2 : 1;
        Extraction.Reader[] readers = extraction.readers();
        return new SourceRows() {
            @Override
            boolean next() throws SQLException {
                if (!rs.next()) {
                    return false;
                }
                values = new Object[readers.length];
                for (int i = 0; i < readers.length; i++) {
                    values[i] = readers[i].read(rs, first + i);
                }
                key = bounded ? partition.keyType.read(rs, 1) : null;
                return true;
            }

            @Override
            public void close() throws SQLException {
                rs.close();
            }
        };
    }

    /**
     * The partition's rows as binary COPY (the key first, when it has one), each field decoded by its column's
     * {@link BinaryValues.Decoder}. Closing before the end cancels the COPY: the caller then discards the
     * connection, as after any COPY that did not end cleanly.
     */
    static SourceRows binary(Connection source, String copyOutSql, Partition partition, Extraction extraction)
            throws SQLException {
        CopyOut out = source.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyOut(copyOutSql);
        BinaryValues.Decoder[] decoders = extraction.binaryDecoders();
        int keys = partition.bounded() ? 1 : 0;
        BinaryTuples tuples;
        try {
            tuples = new BinaryTuples(out);
        } catch (SQLException | RuntimeException e) {
            cancel(out, e);
            throw e;
        }
        return new SourceRows() {
            @Override
            boolean next() throws SQLException {
                int fields = tuples.next();
                if (fields < 0) {
                    tuples.finish();
                    return false;
                }
                if (fields != decoders.length + keys) {
                    throw new SQLException("the source's binary COPY sent a tuple of " + fields + " fields; expected "
                            + (decoders.length + keys));
                }
                key = keys == 1 ? tuples.key(partition.keyType) : null;
                values = new Object[decoders.length];
                for (int i = 0; i < decoders.length; i++) {
                    int length = tuples.field();
                    values[i] = length < 0 ? null : decoders[i].decode(tuples.fieldBytes(), tuples.fieldOffset(), length);
                }
                return true;
            }

            @Override
            public void close() throws SQLException {
                if (out.isActive()) {
                    out.cancelCopy();
                }
            }
        };
    }

    private static void cancel(CopyOut out, Exception failure) {
        try {
            if (out.isActive()) {
                out.cancelCopy();
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
