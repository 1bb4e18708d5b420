package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.TestDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** A second database on the test's server (a pipeline's target), and a sampler of the server's sessions. */
final class PipelineFixtures {

    private PipelineFixtures() {
    }

    /** The name of the target database made beside the test's own. */
    static String warehouse(TestDatabase db) {
        return db.name() + "_wh";
    }

    static void createWarehouse(TestDatabase db) {
        db.server().createDatabase(warehouse(db));
    }

    static EtlPool pool(TestDatabase db, String database, int maxSize) throws SQLException {
        return EtlPool.builder().name(database).jdbcUrl(db.server().jdbcUrl(database)).username(db.user())
                .password(db.password()).minSize(1).maxSize(maxSize).connectionTimeout(Duration.ofSeconds(20))
                .closeGracePeriod(Duration.ofSeconds(2)).build();
    }

    /**
     * Counts the client sessions of the given databases every few milliseconds, from a connection to the
     * {@code postgres} database (so it does not count itself), and keeps the highest count of each.
     */
    static final class SessionSampler implements AutoCloseable {
        final Map<String, Integer> peak = new ConcurrentHashMap<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;
        private volatile Exception failure;
        private volatile int samples;

        SessionSampler(TestDatabase db, String... databases) {
            thread = new Thread(() -> {
                try (Connection c = db.server().connect("postgres");
                     PreparedStatement ps = c.prepareStatement("SELECT datname, count(*) FROM pg_stat_activity "
                             + "WHERE datname = ANY (?) AND backend_type = 'client backend' GROUP BY datname")) {
                    ps.setArray(1, c.createArrayOf("text", databases));
                    while (!stop.get()) {
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                peak.merge(rs.getString(1), rs.getInt(2), Math::max);
                            }
                        }
                        samples++;
                        Thread.sleep(2);
                    }
                } catch (Exception e) {
                    failure = e;
                }
            }, "session-sampler");
            thread.start();
        }

        int samples() {
            return samples;
        }

        @Override
        public void close() throws Exception {
            stop.set(true);
            thread.join();
            if (failure != null) {
                throw failure;
            }
        }
    }
}
