package io.etlpool.cli;

import io.etlpool.EtlPool;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The blog post's claim, measured: short tasks (get a connection, one indexed query, give it back) run
 * for a fixed time by several threads, through the pool and with a new connection per task.
 */
final class PooledVsUnpooled {

    interface Task {
        void run(long id) throws SQLException;
    }

    private PooledVsUnpooled() {
    }

    static Task pooled(EtlPool pool) {
        return id -> {
            try (Connection c = pool.getConnection()) {
                lookup(c, id);
            }
        };
    }

    static Task unpooled(String url, String user, String password) {
        return id -> {
            try (Connection c = DriverManager.getConnection(url, user, password)) {
                lookup(c, id);
            }
        };
    }

    private static void lookup(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT quantity FROM orders WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        }
    }

    /** Tasks per second over the duration, with the given number of threads. */
    static double rate(Task task, int threads, long millis, long maxId) throws Exception {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + millis * 1_000_000;
        List<Thread> workers = new ArrayList<>();
        List<Exception> errors = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        task.run(1 + ThreadLocalRandom.current().nextLong(maxId));
                        done.incrementAndGet();
                    }
                } catch (SQLException e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            });
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        if (!errors.isEmpty()) {
            throw errors.get(0);
        }
        return done.get() / (millis / 1000.0);
    }
}
