package io.etlpool.embedded.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * initdb, start and stop of one PostgreSQL data directory, as the right operating-system user.
 * Messages on failure name the program, the user and the tail of the server log.
 */
public final class ServerProcess {

    private static final String READY = "database system is ready to accept connections";

    private final Path binDirectory;
    private final String binOrigin;
    private final ServerUser user;
    private final Path dataDirectory;
    private final ServerLog log;
    private Process process;
    private Process watchdog;

    public ServerProcess(Path binDirectory, String binOrigin, ServerUser user, Path baseDirectory) {
        this.binDirectory = binDirectory;
        this.binOrigin = binOrigin;
        this.user = user;
        this.dataDirectory = baseDirectory.resolve("data");
        this.log = new ServerLog(baseDirectory.resolve("server.log"));
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public ServerLog log() {
        return log;
    }

    public String userName() {
        return user.name();
    }

    /** Creates the cluster with a password-protected superuser; TCP logins need the password. */
    public void initdb(String superuser, String password) throws IOException {
        Path base = dataDirectory.getParent();
        Path pwfile = base.resolve("pwfile");
        Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
        user.takeOwnership(base);
        List<String> cmd = user.command(List.of(binDirectory.resolve("initdb").toString(),
                "-D", dataDirectory.toString(), "-U", superuser, "--pwfile=" + pwfile,
                "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--locale=C", "--no-sync"));
        try {
            Commands.Result r = Commands.run(cmd, 180);
            if (r.exitCode != 0) {
                throw new IOException(describe("initdb") + " failed with exit code " + r.exitCode + ":\n" + r.output.trim());
            }
        } finally {
            Files.deleteIfExists(pwfile);
        }
    }

    /** Starts the server and waits until it accepts connections. */
    public void start(int port, Map<String, String> settings, Duration timeout) throws IOException {
        if (isRunning()) {
            throw new IllegalStateException("the server is already running");
        }
        List<String> cmd = new ArrayList<>(List.of(binDirectory.resolve("postgres").toString(),
                "-D", dataDirectory.toString(), "-p", Integer.toString(port)));
        settings.forEach((name, value) -> {
            cmd.add("-c");
            cmd.add(name + "=" + value);
        });
        long from = log.position();
        ProcessBuilder pb = new ProcessBuilder(user.command(cmd))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.file().toFile()));
        process = pb.start();
        process.getOutputStream().close();
        awaitReady(from, timeout);
        startWatchdog();
    }

    /**
     * A small shell loop, outside the JVM, that ends the server once the JVM is gone without closing it
     * (killed by SIGKILL, say, where no shutdown hook runs): else the server would keep its port, its
     * memory and its directory until someone noticed. It polls the JVM once a second, then sends the
     * postmaster SIGQUIT (immediate shutdown) and deletes the base directory once the server is gone.
     */
    private void startWatchdog() throws IOException {
        String script = "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; "
                + "kill -s QUIT \"$2\" 2>/dev/null; "
                + "n=0; while kill -0 \"$2\" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n+1)); done; "
                + "rm -rf \"$3\"";
        watchdog = new ProcessBuilder("sh", "-c", script, "etlpool-embedded-postgres-watchdog",
                Long.toString(ProcessHandle.current().pid()), Long.toString(postmasterPid()),
                dataDirectory.getParent().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        watchdog.getOutputStream().close();
    }

    private void awaitReady(long from, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String written = log.since(from);
            if (written.contains(READY)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException(describe("postgres") + " exited with code " + process.exitValue()
                        + " before accepting connections. Server log:\n" + written.trim());
            }
            if (System.nanoTime() > deadline) {
                stop(Duration.ofSeconds(10));
                throw new IOException(describe("postgres") + " did not accept connections within "
                        + timeout.toSeconds() + " s. Server log:\n" + log.tail(30));
            }
            sleep(20);
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Fast shutdown (SIGINT: sessions are ended, data is kept); a server that does not stop in time is
     * ended with SIGQUIT and then killed.
     */
    public void stop(Duration timeout) {
        if (watchdog != null) {
            watchdog.destroy(); // the JVM stops the server itself; the loop must not outlive this start
            watchdog = null;
        }
        if (process == null) {
            return;
        }
        try {
            if (process.isAlive()) {
                signal("INT");
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    signal("QUIT");
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            process = null;
        }
    }

    /** Signals the postmaster, whose pid is the first line of postmaster.pid (the JVM's child may be a wrapper). */
    private void signal(String name) {
        long pid = postmasterPid();
        try {
            Commands.run(List.of("kill", "-s", name, Long.toString(pid)), 10);
        } catch (IOException e) {
            process.destroy();
        }
    }

    private long postmasterPid() {
        try {
            List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
            if (!lines.isEmpty()) {
                return Long.parseLong(lines.get(0).trim());
            }
        } catch (IOException | NumberFormatException e) {
            // the server may not have written it yet: signal the process the JVM started
        }
        return process.pid();
    }

    private String describe(String program) {
        return binDirectory.resolve(program) + " (from " + binOrigin + ", run as user '" + user.name() + "')";
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the server", e);
        }
    }
}
