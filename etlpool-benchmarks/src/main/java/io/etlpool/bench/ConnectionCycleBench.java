package io.etlpool.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/** Borrow and give back: {@code getConnection()} then {@code close()}. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConnectionCycleBench extends PoolBench {

    @Param({"8"})
    public int maxSize;

    @Override
    int size() {
        return maxSize;
    }

    @Benchmark
    public Connection cycleConnection() throws SQLException {
        Connection c = ds.getConnection();
        c.close();
        return c;
    }
}
