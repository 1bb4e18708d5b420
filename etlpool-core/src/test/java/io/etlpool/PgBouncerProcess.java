package io.etlpool;

import io.etlpool.embedded.internal.ServerUser;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PgBouncer (the machine's {@code pgbouncer}, e.g. Debian's package) in transaction pooling mode in
 * front of a test database: its own config in a temporary directory, listening on 127.0.0.1 on a free
 * port, run as an unprivileged user when the JVM is root (PgBouncer refuses to run as root). Where no
 * pgbouncer is installed, {@link #start} skips the test with a JUnit assumption that says so.
 */
final class PgBouncerProcess implements AutoCloseable {

    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/sbin/pgbouncer"), Path.of("/usr/bin/pgbouncer"),
            Path.of("/usr/local/bin/pgbouncer"));

    private final Process process;
    private final Path dir;
    private final int port;

    private PgBouncerProcess(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** The installed binary, or null. */
    static Path binary() {
        return CANDIDATES.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    /** Starts PgBouncer (pool_mode = transaction, serverConnections server connections per database). */
    static PgBouncerProcess start(TestDatabase db, int serverConnections) throws IOException, InterruptedException {
        return start(db, serverConnections, 0);
    }

    /**
     * The installed PgBouncer's version, e.g. {1, 18} (skips the test, saying so, where none is installed).
     */
    static int[] version() throws IOException, InterruptedException {
        Path binary = installed();
        Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("PgBouncer (\\d+)\\.(\\d+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("cannot read the version of " + binary + ": " + out);
        }
        return new int[]{Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /** Whether the installed PgBouncer can track prepared statements (1.21 and later). */
    static boolean tracksPreparedStatements() throws IOException, InterruptedException {
        int[] v = version();
        return v[0] > 1 || v[0] == 1 && v[1] >= 21;
    }

    private static Path installed() {
        Path binary = binary();
        Assumptions.assumeTrue(binary != null, "SKIPPED: pgbouncer is not installed (looked in " + CANDIDATES
                + "); install it (apt-get install pgbouncer) to run the PgBouncer tests");
        return binary;
    }

    /**
     * Starts PgBouncer; {@code maxPreparedStatements} is written as {@code max_prepared_statements} where
     * the version knows the setting (1.21+; 0 turns tracking off, which 1.24+ has on by default).
     */
    static PgBouncerProcess start(TestDatabase db, int serverConnections, int maxPreparedStatements)
            throws IOException, InterruptedException {
        Path binary = installed();
        boolean knowsTracking = tracksPreparedStatements();
        Path dir = Files.createTempDirectory("etlpool-pgbouncer", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        int port = freePort();
        Files.writeString(dir.resolve("userlist.txt"), "\"" + db.user() + "\" \"" + db.password() + "\"\n");
        Files.writeString(dir.resolve("pgbouncer.ini"), String.join("\n",
                "[databases]",
                "* = host=" + db.server().host() + " port=" + db.server().port(),
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = scram-sha-256",
                "auth_file = " + dir.resolve("userlist.txt"),
                "pool_mode = transaction",
                "default_pool_size = " + serverConnections,
                "max_client_conn = 500",
                "ignore_startup_parameters = extra_float_digits",
                knowsTracking ? "max_prepared_statements = " + maxPreparedStatements : "",
                "logfile = " + dir.resolve("pgbouncer.log"),
                "pidfile = " + dir.resolve("pgbouncer.pid"),
                ""));
        ServerUser user = ServerUser.forThisJvm();
        user.takeOwnership(dir);
        Process p = new ProcessBuilder(user.command(List.of(binary.toString(), dir.resolve("pgbouncer.ini").toString())))
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        PgBouncerProcess bouncer = new PgBouncerProcess(p, dir, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!bouncer.listening()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                String log = Files.exists(dir.resolve("stdout.log")) ? Files.readString(dir.resolve("stdout.log")) : "";
                bouncer.close();
                throw new IllegalStateException("pgbouncer did not start on 127.0.0.1:" + port + ": " + log);
            }
            Thread.sleep(50);
        }
        return bouncer;
    }

    /** The test database, reached through PgBouncer. */
    String jdbcUrl(TestDatabase db) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + db.name();
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
