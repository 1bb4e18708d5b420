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

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/** Borrow and give back: {@code getConnection()} then {@code close()}. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConnectionCycleBench {

    @Param({"etlpool", "hikari"})
    public String pool;

    @Param({"8"})
    public int maxSize;

    private DataSource ds;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        ds = Pools.create(pool, maxSize);
        Pools.warm(ds, maxSize);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        Pools.close(ds);
    }

    @Benchmark
    public Connection cycleConnection() throws SQLException {
        Connection c = ds.getConnection();
        c.close();
        return c;
    }
}
