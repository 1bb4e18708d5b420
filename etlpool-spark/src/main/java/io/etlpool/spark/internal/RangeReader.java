package io.etlpool.spark.internal;

import io.etlpool.spark.ExecutorPools;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.unsafe.types.UTF8String;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Streams one key range of the source through this executor's pool: autocommit off, forward-only, fetch
 * size from the options, so PgJDBC holds one fetch of rows in memory, never the whole result. Values are
 * converted exactly or refused (a numeric that does not fit the column's decimal type, an infinite date).
 */
final class RangeReader implements org.apache.spark.sql.connector.read.PartitionReader<InternalRow> {

    private final ReadSpec spec;
    private final ExecutorPools.Lease lease;
    private final Connection connection;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final int width;

    RangeReader(ReadSpec spec, KeyRanges.Range range) throws SQLException {
        this.spec = spec;
        this.width = spec.pgTypes.length;
        ExecutorPools.Lease l = ExecutorPools.shared().borrow(spec.budget.executorPool());
        Connection c = null;
        PreparedStatement ps = null;
        try {
            c = l.pool().getConnection();
            c.setAutoCommit(false);
            c.setReadOnly(true);
            ps = c.prepareStatement(KeyRanges.sql(spec, range), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            ps.setFetchSize(spec.fetchSize);
            int p = 1;
            if (spec.partitionColumn != null && range.lo() != null) {
                ps.setObject(p++, range.lo(), Types.OTHER);
            }
            if (spec.partitionColumn != null && range.hi() != null) {
                ps.setObject(p, range.hi(), Types.OTHER);
            }
            this.rows = ps.executeQuery();
        } catch (SQLException | RuntimeException e) {
            closeQuietly(ps, c, l);
            throw e;
        }
        this.lease = l;
        this.connection = c;
        this.statement = ps;
    }

    @Override
    public boolean next() throws IOException {
        try {
            return rows.next();
        } catch (SQLException e) {
            throw new IOException("reading " + spec.partitionColumn + " range failed: " + e.getMessage(), e);
        }
    }

    @Override
    public InternalRow get() {
        Object[] values = new Object[width];
        try {
            for (int i = 0; i < width; i++) {
                values[i] = value(i + 1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading a row failed: " + e.getMessage(), e);
        }
        return new GenericInternalRow(values);
    }

    private Object value(int col) throws SQLException {
        String type = spec.pgTypes[col - 1];
        Object v;
        switch (type) {
            case "int2", "smallserial" -> v = rows.getShort(col);
            case "int4", "serial" -> v = rows.getInt(col);
            case "int8", "bigserial", "oid" -> v = rows.getLong(col);
            case "float4" -> v = rows.getFloat(col);
            case "float8" -> v = rows.getDouble(col);
            case "bool" -> v = rows.getBoolean(col);
            case "numeric" -> {
                BigDecimal d = rows.getBigDecimal(col);
                return d == null ? null : decimal(col, d);
            }
            case "date" -> {
                LocalDate d = rows.getObject(col, LocalDate.class);
                if (d == null) {
                    return null;
                }
                if (d.equals(LocalDate.MAX) || d.equals(LocalDate.MIN)) {
                    throw infinite(col);
                }
                return Math.toIntExact(d.toEpochDay());
            }
            case "timestamp" -> {
                LocalDateTime t = rows.getObject(col, LocalDateTime.class);
                if (t == null) {
                    return null;
                }
                if (t.equals(LocalDateTime.MAX) || t.equals(LocalDateTime.MIN)) {
                    throw infinite(col);
                }
                return micros(t.toEpochSecond(ZoneOffset.UTC), t.getNano());
            }
            case "timestamptz" -> {
                OffsetDateTime t = rows.getObject(col, OffsetDateTime.class);
                if (t == null) {
                    return null;
                }
                if (t.equals(OffsetDateTime.MAX) || t.equals(OffsetDateTime.MIN)) {
                    throw infinite(col);
                }
                return micros(t.toEpochSecond(), t.getNano());
            }
            case "bytea" -> v = rows.getBytes(col);
            default -> {
                String s = rows.getString(col);
                return s == null ? null : UTF8String.fromString(s);
            }
        }
        return rows.wasNull() ? null : v;
    }

    private Decimal decimal(int col, BigDecimal d) {
        DecimalType t = (DecimalType) spec.schema.fields()[col - 1].dataType();
        try {
            BigDecimal exact = d.setScale(t.scale()); // throws where it would round
            if (exact.precision() - exact.scale() > t.precision() - t.scale()) {
                throw new ArithmeticException("too many digits");
            }
            return Decimal.apply(exact);
        } catch (ArithmeticException e) {
            throw new IllegalStateException("column '" + spec.schema.fields()[col - 1].name() + "' holds " + d.toPlainString()
                    + ", which " + t.simpleString() + " cannot hold exactly; cast it in the query (e.g. ::numeric(30,10)"
                    + " or ::text)", e);
        }
    }

    private static long micros(long seconds, int nanos) {
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), nanos / 1000);
    }

    private IllegalStateException infinite(int col) {
        return new IllegalStateException("column '" + spec.schema.fields()[col - 1].name() + "' holds an infinite date or"
                + " timestamp, which Spark has no value for; filter or convert it in the query");
    }

    @Override
    public void close() {
        closeQuietly(statement, connection, lease);
    }

    private static void closeQuietly(PreparedStatement ps, Connection c, ExecutorPools.Lease l) {
        try {
            if (ps != null) {
                ps.close();
            }
        } catch (SQLException ignored) {
            // the connection's close cleans up
        }
        try {
            if (c != null) {
                c.close(); // ends the read-only transaction
            }
        } catch (SQLException ignored) {
            // the pool discards a connection it cannot clean
        }
        l.close();
    }
}
