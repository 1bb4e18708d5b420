package io.etlpool;

import java.io.PrintWriter;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * The {@link javax.sql.DataSource} methods a pool has little use for, alike for {@link EtlPool} and
 * {@link EtlPoolDataSource}: a log writer that is kept but not written to (etlpool logs through slf4j),
 * a login timeout that is connectionTimeout, and no java.util.logging parent logger.
 */
final class DataSourcePlumbing {

    private volatile PrintWriter logWriter;

    PrintWriter logWriter() {
        return logWriter;
    }

    void logWriter(PrintWriter out) {
        this.logWriter = out;
    }

    /** Borrowing is bounded by connectionTimeout, which is set with the other settings. */
    static SQLFeatureNotSupportedException loginTimeoutNotSettable() {
        return new SQLFeatureNotSupportedException("the login timeout is connectionTimeout: set connectionTimeout"
                + " (on the builder, or EtlPoolDataSource.setConnectionTimeout) instead");
    }

    /** connectionTimeout in whole seconds. */
    static int loginTimeout(Duration connectionTimeout) {
        return (int) connectionTimeout.toSeconds();
    }

    /** Never returns: there is no parent logger. */
    static Logger parentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("etlpool logs through slf4j");
    }
}
