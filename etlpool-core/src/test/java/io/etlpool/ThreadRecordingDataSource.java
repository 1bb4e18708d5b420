package io.etlpool;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Set;
import java.util.logging.Logger;

/** A real DataSource that also records which threads open connections. */
final class ThreadRecordingDataSource implements DataSource {

    private final DataSource real;
    private final Set<String> threads;

    ThreadRecordingDataSource(DataSource real, Set<String> threads) {
        this.real = real;
        this.threads = threads;
    }

    @Override
    public Connection getConnection() throws SQLException {
        threads.add(Thread.currentThread().getName());
        return real.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        threads.add(Thread.currentThread().getName());
        return real.getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return real.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        real.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        real.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return real.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return real.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return real.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return real.isWrapperFor(iface);
    }
}
