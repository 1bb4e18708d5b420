package io.etlpool.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A JVM killed without running its shutdown hooks leaves no server running and no directory behind. */
class KilledJvmTest {

    /** Runs in the child JVM: starts a server, says where, and waits to be killed. */
    public static final class ServerInChildJvm {
        public static void main(String[] args) throws Exception {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            System.out.println("READY " + pg.port() + " " + pg.baseDirectory());
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
            pg.close(); // not reached: the test kills this JVM
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theServerStopsAndItsDirectoryGoesWhenTheJvmIsKilled() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ServerInChildJvm.class.getName()).redirectErrorStream(true).start();
        int port;
        Path base;
        try {
            String ready = awaitReadyLine(child);
            String[] parts = ready.split(" ", 3);
            port = Integer.parseInt(parts[1]);
            base = Path.of(parts[2]);
            assertThat(accepts(port)).as("server up before the kill").isTrue();
            assertThat(base).exists();
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            child.waitFor(30, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((accepts(port) || Files.exists(base)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(accepts(port)).as("server still accepting on port " + port).isFalse();
        assertThat(base).doesNotExist();
    }

    private static String awaitReadyLine(Process child) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("READY ")) {
                return line;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the child JVM ended before its server was ready:\n" + seen);
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
