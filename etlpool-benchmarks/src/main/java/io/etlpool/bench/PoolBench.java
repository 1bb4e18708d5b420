package io.etlpool.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import javax.sql.DataSource;
import java.sql.SQLException;

/** One pool per trial, warmed to its fixed size, closed after the trial. */
@State(Scope.Benchmark)
public abstract class PoolBench {

    @Param({"etlpool", "hikari", "agroal", "dbcp2", "c3p0", "vibur", "tomcat"})
    public String pool;

    DataSource ds;

    /** The pool's fixed size for this benchmark. */
    abstract int size();

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        ds = Pools.create(pool, "jdbc:stub", "bench", "bench", size()); // the stub ignores credentials
        Pools.warm(ds, size());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        Pools.close(ds);
    }
}
