package io.etlpool.testing;

import io.etlpool.embedded.EmbeddedPostgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The fresh database of one test, on the class's server. Connections from {@link #connect()} are closed
 * after the test; pools the test builds must be closed by the test itself (the leak check says so).
 */
public final class TestDatabase {

    private final EmbeddedPostgres server;
    private final String name;
    private final List<Connection> opened = new ArrayList<>();

    TestDatabase(EmbeddedPostgres server, String name) {
        this.server = server;
        this.name = name;
    }

    /** The database's name. */
    public String name() {
        return name;
    }

    /** The server this database lives on (for stop/start/terminateBackends in fault tests). */
    public EmbeddedPostgres server() {
        return server;
    }

    /** JDBC URL of this database. */
    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    /** JDBC URL of this database reached through another port on loopback (a {@link FaultProxy}). */
    public String jdbcUrlVia(FaultProxy proxy) {
        return "jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/" + name;
    }

    /** The user to connect as. */
    public String user() {
        return server.superuser();
    }

    /** The password of that user (a test secret). */
    public String password() {
        return server.password();
    }

    /** Driver properties with user and password, for DriverManager or a pool builder. */
    public Properties credentials() {
        Properties p = new Properties();
        p.setProperty("user", user());
        p.setProperty("password", password());
        return p;
    }

    /** A new direct connection to this database, closed after the test at the latest. */
    public synchronized Connection connect() throws SQLException {
        Connection c = server.connect(name);
        opened.add(c);
        return c;
    }

    /** Client sessions on this database other than the asking one. */
    public int backendCount() {
        return server.backendCount(name);
    }

    /** Ends every client session on this database; returns how many. */
    public int terminateBackends() {
        return server.terminateBackends(name);
    }

    synchronized void closeOwnConnections() {
        for (Connection c : opened) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the test may have broken it on purpose
            }
        }
        opened.clear();
    }

    @Override
    public String toString() {
        return "TestDatabase[" + jdbcUrl() + "]";
    }
}
