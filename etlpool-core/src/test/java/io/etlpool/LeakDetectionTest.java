package io.etlpool;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.etlpool.TestPools.builder;
import static io.etlpool.TestPools.eventually;
import static org.assertj.core.api.Assertions.assertThat;

@PostgresTest
class LeakDetectionTest {

    private final List<Throwable> reports = new CopyOnWriteArrayList<>();

    private EtlPool pool(TestDatabase db) throws SQLException {
        return builder(db).maxSize(2).leakDetectionThreshold(Duration.ofMillis(300))
                .listener(new PoolListener() {
                    @Override
                    public void leakSuspected(Duration held, Throwable borrowedAt) {
                        reports.add(borrowedAt);
                    }
                }).build();
    }

    @Test
    void anIdleHeldConnectionIsReportedOnceWithItsBorrowersStack(TestDatabase db) throws Exception {
        try (EtlPool pool = pool(db); Connection forgotten = pool.getConnection()) {
            eventually(Duration.ofSeconds(5), "a leak reported", () -> pool.stats().leaksSuspected() == 1);
            Thread.sleep(800);
            assertThat(pool.stats().leaksSuspected()).isEqualTo(1); // once, not on every scan
            assertThat(reports).hasSize(1);
            assertThat(reports.get(0).getStackTrace()).anySatisfy(frame ->
                    assertThat(frame.getMethodName()).isEqualTo("anIdleHeldConnectionIsReportedOnceWithItsBorrowersStack"));
            assertThat(forgotten.isValid(1)).isTrue(); // reported, never taken away
        }
    }

    @Test
    void aConnectionBusyWithALongQueryIsNotALeak(TestDatabase db) throws SQLException {
        try (EtlPool pool = pool(db); Connection c = pool.getConnection()) {
            c.createStatement().execute("SELECT pg_sleep(1.2)");
            assertThat(pool.stats().leaksSuspected()).isZero();
        }
    }

    @Test
    void aConnectionBusyFetchingRowsIsNotALeak(TestDatabase db) throws Exception {
        try (EtlPool pool = pool(db); Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            var st = c.createStatement();
            st.setFetchSize(10);
            try (var rs = st.executeQuery("SELECT g FROM generate_series(1, 120) g")) {
                while (rs.next()) {
                    Thread.sleep(10); // slow consumer, 1.2 s in all, well past the threshold
                }
            }
            assertThat(pool.stats().leaksSuspected()).isZero();
        }
    }

    @Test
    void aLongCopyThroughUnwrapIsNotALeak(TestDatabase db) throws Exception {
        try (EtlPool pool = pool(db)) {
            pool.execute("CREATE TABLE sink(v text)");
            try (Connection c = pool.getConnection()) {
                // a slow source stream keeps the borrower inside the driver for about a second
                var slow = new java.io.InputStream() {
                    final byte[] data = "row\n".repeat(50).getBytes(StandardCharsets.UTF_8);
                    final ByteArrayInputStream in = new ByteArrayInputStream(data);

                    @Override
                    public int read() {
                        if (in.available() % 4 == 0) {
                            sleep(20);
                        }
                        return in.read();
                    }
                };
                long rows = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY sink FROM STDIN", slow, 4);
                assertThat(rows).isEqualTo(50);
            }
            assertThat(pool.stats().leaksSuspected()).isZero();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
