package io.etlpool;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.etlpool.TestPools.builder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * 10,000 virtual threads through a pool of 10 connections: all complete, none pinned, every connection
 * given back. Compiled at release 17; it runs on JDK 21+ only: the virtual-threads Maven profile runs it
 * with a JDK 25 when one is installed, and the JDK 17 run reports it skipped.
 */
@PostgresTest
class VirtualThreadTest {

    private static final int THREADS = 10_000;
    private static final int TASKS_PER_THREAD = 3;

    @Test
    void tenThousandVirtualThreadsShareTenConnections(TestDatabase db) throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "skipped: no JDK 21+ found (this is JDK "
                + Runtime.version().feature() + "); the virtual-threads profile runs this test with "
                + "/usr/lib/jvm/temurin-25-jdk-amd64 when it is installed, or -Pvirtual-threads "
                + "-Dvirtual-threads.jvm=/path/to/jdk21+/bin/java");
        try (EtlPool pool = builder(db).minSize(10).maxSize(10).connectionTimeout(Duration.ofMinutes(2)).build()) {
            pool.execute("CREATE TABLE item(id int PRIMARY KEY, v int)");
            pool.execute("INSERT INTO item SELECT g, g FROM generate_series(1, 1000) g");
            AtomicInteger failures = new AtomicInteger();
            Queue<String> errors = new ConcurrentLinkedQueue<>();
            AtomicInteger tasks = new AtomicInteger();
            ThrowingRunnable body = () -> {
                for (int i = 0; i < TASKS_PER_THREAD; i++) {
                    int id = 1 + (tasks.incrementAndGet() % 1000);
                    try {
                        if (task(pool, id) != id) {
                            throw new IllegalStateException("row " + id + " read a wrong value");
                        }
                    } catch (SQLException | RuntimeException e) {
                        failures.incrementAndGet();
                        errors.add(String.valueOf(e));
                    }
                }
            };
            // the same code once on a few threads first: a class initialised by a virtual thread pins it
            runOnVirtualThreads(100, body);
            tasks.set(0);

            Path jfr = Files.createTempFile("virtual-threads", ".jfr");
            try (Recording recording = new Recording()) {
                recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
                recording.start();
                boolean finished = runOnVirtualThreads(THREADS, body);
                recording.stop();
                recording.dump(jfr);
                assertThat(finished).as("all virtual threads finished within 5 minutes (no deadlock)").isTrue();
            }
            List<RecordedEvent> pinned = RecordingFile.readAllEvents(jfr);
            Files.delete(jfr);
            assertThat(pinned).as("virtual threads pinned to their carrier: %s", pinned.stream()
                    .map(e -> String.valueOf(e.getStackTrace())).limit(3).collect(Collectors.joining("\n"))).isEmpty();
            assertThat(failures).as("failed tasks: %s", errors.stream().limit(3).collect(Collectors.toList())).hasValue(0);
            assertThat(tasks).hasValue(THREADS * TASKS_PER_THREAD);
            assertThat(pool.stats().active()).isZero();
            assertThat(pool.stats().total()).isEqualTo(10);
            assertThat(pool.stats().borrows()).isGreaterThanOrEqualTo((long) THREADS * TASKS_PER_THREAD);
        }
    }

    /** Borrow, one indexed query, give back. */
    private static int task(EtlPool pool, int id) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT v FROM item WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Starts n virtual threads running the body; true when all finished within 5 minutes. */
    private static boolean runOnVirtualThreads(int n, ThrowingRunnable body) throws Exception {
        ExecutorService threads = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        for (int i = 0; i < n; i++) {
            threads.execute(() -> {
                try {
                    body.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        threads.shutdown();
        return threads.awaitTermination(5, TimeUnit.MINUTES);
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
