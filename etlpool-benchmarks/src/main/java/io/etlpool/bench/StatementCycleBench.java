package io.etlpool.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * On a connection each thread holds for the whole iteration: {@code prepareStatement}, execute,
 * {@code close}. This measures the pool's statement wrappers. Each thread holds a connection, so the
 * pool is sized for the largest thread count (32).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StatementCycleBench extends PoolBench {

    @Param({"32"})
    public int maxSize;

    /**
     * The statement; the published runs use the INSERT. Another is for a look at one path, e.g.
     * {@code -p sql="SELECT ?"} (the session-reset check reads a SELECT's first item).
     */
    @Param({"INSERT INTO test (column) VALUES (?)"})
    public String sql;

    @Override
    int size() {
        return maxSize;
    }

    /** The connection one benchmark thread holds. */
    @State(Scope.Thread)
    public static class Held {
        Connection connection;

        @Setup(Level.Iteration)
        public void borrow(StatementCycleBench bench) throws SQLException {
            connection = bench.ds.getConnection();
        }

        @TearDown(Level.Iteration)
        public void giveBack() throws SQLException {
            connection.close();
        }
    }

    @Benchmark
    public PreparedStatement cycleStatement(Held held) throws SQLException {
        PreparedStatement ps = held.connection.prepareStatement(sql);
        ps.setInt(1, 1);
        ps.executeUpdate();
        ps.close();
        return ps;
    }
}
