package io.etlpool.embedded;

import io.etlpool.embedded.internal.FileTrees;
import io.etlpool.embedded.internal.ServerProcess;
import io.etlpool.embedded.internal.ServerUser;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A real, throwaway PostgreSQL server on a loopback port, in a temporary directory.
 *
 * <pre>{@code
 * try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
 *     pg.createDatabase("shop");
 *     String url = pg.jdbcUrl("shop");   // log in as pg.superuser() / pg.password()
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops the server and deletes its directory; so does JVM exit. {@link #stop()} and
 * {@link #start()} restart it on the same port and data (for fault tests). When the JVM runs as root, the
 * server runs as an unprivileged user, since PostgreSQL refuses root.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    /** Database names this class accepts: plain identifiers, so they never need quoting rules. */
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String HOST = "127.0.0.1";
    /** How long the admin helpers wait for a slot on a server that is full (see adminConnection). */
    private static final Duration ADMIN_FULL_RETRY = Duration.ofSeconds(10);

    private final PostgresBinaries binaries;
    private final String superuser;
    private final String password;
    private final Map<String, String> settings;
    private final Duration startTimeout;
    private final Path baseDirectory;
    private final ServerProcess server;
    private final Thread shutdownHook;
    private int port;
    private boolean closed;

    private EmbeddedPostgres(Builder b, PostgresBinaries binaries, Path baseDirectory) {
        this.binaries = binaries;
        this.superuser = b.superuser;
        this.password = b.password != null ? b.password : randomPassword();
        this.settings = b.serverSettings();
        this.startTimeout = b.startTimeout;
        this.baseDirectory = baseDirectory;
        this.server = new ServerProcess(binaries.binDirectory(), binaries.origin(), ServerUser.forThisJvm(), baseDirectory);
        this.port = b.port;
        this.shutdownHook = new Thread(this::closeQuietly, "etlpool-embedded-postgres-shutdown");
    }

    /** A builder with test-friendly defaults: a free port, fsync off, superuser {@code postgres}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts the server again after {@link #stop()}, on the same port and data directory. */
    public synchronized EmbeddedPostgres start() {
        requireOpen();
        try {
            server.start(port, settings, startTimeout);
        } catch (IOException e) {
            throw new EmbeddedPostgresException("PostgreSQL did not start on " + HOST + ":" + port + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** Fast shutdown: client sessions end, data stays; {@link #start()} brings the server back. */
    public synchronized void stop() {
        server.stop(Duration.ofSeconds(30));
    }

    /** Whether the server process is running. */
    public synchronized boolean isRunning() {
        return server.isRunning();
    }

    /** Stops the server and deletes its directory. Safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(Duration.ofSeconds(30));
        try {
            FileTrees.delete(baseDirectory);
        } catch (IOException e) {
            // best effort: a leftover temporary directory is harmless
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run: nothing to remove
        }
    }

    /** The host the server listens on (a loopback address). */
    public String host() {
        return HOST;
    }

    /** The TCP port the server listens on. */
    public int port() {
        return port;
    }

    /** The superuser's name (builder default {@code postgres}). */
    public String superuser() {
        return superuser;
    }

    /** The superuser's password (random unless the builder set one). Never printed by this class. */
    public String password() {
        return password;
    }

    /** URL of the {@code postgres} database. */
    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    /** URL of the given database on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
    }

    /** The directory holding the data directory and the server log. */
    public Path baseDirectory() {
        return baseDirectory;
    }

    /** The PostgreSQL binaries this server runs. */
    public PostgresBinaries binaries() {
        return binaries;
    }

    /** The last lines of the server log, for diagnostics. */
    public String logTail(int lines) {
        return server.log().tail(lines);
    }

    /** A new superuser connection to the database; the caller closes it. */
    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", superuser);
        props.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    /** Creates a database (name: lower-case letters, digits and underscores). */
    public void createDatabase(String name) {
        String db = checkName(name);
        adminUpdate("CREATE DATABASE " + db);
    }

    /** Drops a database, ending its sessions first; no error when it does not exist. */
    public void dropDatabase(String name) {
        String db = checkName(name);
        adminUpdate("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    }

    /** Ends every client session of the database but the caller's (pg_terminate_backend); returns how many. */
    public int terminateBackends(String database) {
        return adminCount("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                + "WHERE datname = ? AND pid <> pg_backend_pid() AND backend_type = 'client backend'", database);
    }

    /** How many client sessions the database has, not counting the one that asks. */
    public int backendCount(String database) {
        return adminCount("SELECT count(*) FROM pg_stat_activity "
                + "WHERE datname = ? AND pid <> pg_backend_pid() AND backend_type = 'client backend'", database);
    }

    @Override
    public String toString() {
        return "EmbeddedPostgres[" + HOST + ":" + port + ", " + binaries.origin() + ", dir=" + baseDirectory + "]";
    }

    /**
     * A superuser connection for the helpers below. A server that refuses it as full (53300) is asked
     * again for a few seconds: the slot of a connection a test just closed frees only once its backend
     * process has exited, which on a busy machine can take a while after the client's close() returned.
     */
    private Connection adminConnection() throws SQLException {
        long deadline = System.nanoTime() + ADMIN_FULL_RETRY.toNanos();
        while (true) {
            try {
                return connect("postgres");
            } catch (SQLException e) {
                if (!"53300".equals(e.getSQLState()) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for a free connection slot", "53300", e);
            }
        }
    }

    private void adminUpdate(String sql) {
        try (Connection c = adminConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        } catch (SQLException e) {
            throw new EmbeddedPostgresException(sql + " failed: " + e.getMessage(), e);
        }
    }

    private int adminCount(String sql, String database) {
        try (Connection c = adminConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new EmbeddedPostgresException("query on the embedded server failed: " + e.getMessage(), e);
        }
    }

    private static String checkName(String name) {
        if (name == null || !DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name '" + name
                    + "' is not accepted: use 1-63 lower-case letters, digits or underscores, starting with a letter");
        }
        return name;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this EmbeddedPostgres is closed; build a new one");
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            // JVM exit: nothing left to report to
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new EmbeddedPostgresException("no free port on " + HOST + ": " + e.getMessage(), e);
        }
    }

    /** Settings for a new embedded server; {@link #start()} creates and starts it. */
    public static final class Builder {
        private int port;
        private int maxConnections = 200;
        private boolean fsync;
        private String superuser = "postgres";
        private String password;
        private PostgresBinaries binaries;
        private Duration startTimeout = Duration.ofSeconds(60);
        private final Map<String, String> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port (" + port + ") must be 0 (any free port) or 1-65535");
            }
            this.port = port;
            return this;
        }

        /** The server's max_connections (default 200). */
        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections (" + maxConnections + ") must be at least 1");
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /** fsync on or off (default off: test data need not survive a power cut). */
        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        /** Any server setting, passed as {@code -c name=value}. */
        public Builder setting(String name, String value) {
            extra.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The superuser's name (default {@code postgres}). */
        public Builder superuser(String superuser) {
            this.superuser = Objects.requireNonNull(superuser, "superuser");
            return this;
        }

        /** The superuser's password (default: random). */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Which binaries to run (default {@link PostgresBinaries#locate()}). */
        public Builder binaries(PostgresBinaries binaries) {
            this.binaries = Objects.requireNonNull(binaries, "binaries");
            return this;
        }

        /** How long to wait for the server to accept connections (default 60 s). */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
            return this;
        }

        Map<String, String> serverSettings() {
            Map<String, String> s = new LinkedHashMap<>();
            s.put("listen_addresses", HOST);
            s.put("unix_socket_directories", "");
            s.put("max_connections", Integer.toString(maxConnections));
            s.put("fsync", fsync ? "on" : "off");
            if (!fsync) {
                s.put("synchronous_commit", "off");
                s.put("full_page_writes", "off");
            }
            s.putAll(extra);
            return s;
        }

        /** Creates the data directory, runs initdb and starts the server. */
        public EmbeddedPostgres start() {
            PostgresBinaries bin = binaries != null ? binaries : PostgresBinaries.locate();
            Path base;
            try {
                base = Files.createTempDirectory("etlpool-pg-");
            } catch (IOException e) {
                throw new EmbeddedPostgresException("could not create a temporary directory: " + e.getMessage(), e);
            }
            boolean anyPort = port == 0;
            EmbeddedPostgres pg = new EmbeddedPostgres(this, bin, base);
            Runtime.getRuntime().addShutdownHook(pg.shutdownHook);
            try {
                pg.server.initdb(superuser, pg.password);
            } catch (IOException e) {
                pg.close();
                throw new EmbeddedPostgresException("initdb failed: " + e.getMessage(), e);
            }
            // A free port can be taken between the probe and the bind: try a few before giving up.
            for (int attempt = 1; ; attempt++) {
                if (anyPort) {
                    pg.port = freePort();
                }
                try {
                    return pg.start();
                } catch (EmbeddedPostgresException e) {
                    boolean portTaken = String.valueOf(e.getMessage()).contains("could not bind");
                    if (!(anyPort && portTaken && attempt < 5)) {
                        pg.close();
                        throw e;
                    }
                }
            }
        }
    }
}
