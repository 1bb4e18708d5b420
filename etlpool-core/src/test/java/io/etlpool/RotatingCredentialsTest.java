package io.etlpool;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The role's password is changed (ALTER ROLE ... PASSWORD) while threads borrow and connections are
 * retired: with a credentials provider no borrow fails; with a fixed password the next connect fails.
 */
@PostgresTest
class RotatingCredentialsTest {

    /** The secret store: the role's password and the provider's answer change together. */
    private static final class SecretStore {
        private String password = "first-pw";
        final AtomicInteger asked = new AtomicInteger();

        synchronized String current() {
            asked.incrementAndGet();
            return password;
        }

        synchronized void rotate(Connection admin, String role, String next) throws SQLException {
            try (Statement s = admin.createStatement()) {
                s.execute("ALTER ROLE " + role + " PASSWORD '" + next + "'");
            }
            password = next;
        }
    }

    private static String createRole(TestDatabase db, Connection admin) throws SQLException {
        String role = "rot_" + db.name();
        try (Statement s = admin.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'first-pw'");
            s.execute("GRANT ALL ON DATABASE " + db.name() + " TO " + role);
        }
        return role;
    }

    private static String currentUser(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aPasswordRotatedMidRunFailsNoBorrow(TestDatabase db) throws Exception {
        Connection admin = db.connect();
        String role = createRole(db, admin);
        SecretStore store = new SecretStore();
        AtomicLong borrows = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        try (EtlPool pool = EtlPool.builder().jdbcUrl(db.jdbcUrl()).username(role).passwordSupplier(store::current)
                .minSize(2).maxSize(4).connectionTimeout(Duration.ofSeconds(10)).registerMBean(false).build()) {
            ExecutorService executor = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    workers.add(executor.submit(() -> {
                        while (!stop.get()) {
                            Connection c = pool.getConnection();
                            try {
                                assertThat(currentUser(c)).isEqualTo(role);
                                if (borrows.incrementAndGet() % 3 == 0) {
                                    pool.evict(c); // retired: the pool opens replacements with the current password
                                }
                            } finally {
                                c.close();
                            }
                        }
                        return null;
                    }));
                }
                for (int r = 1; r <= 3; r++) {
                    long before = pool.stats().connectionsCreated();
                    TestPools.eventually(Duration.ofSeconds(30), "connections opened before rotation " + r,
                            () -> pool.stats().connectionsCreated() >= before + 3);
                    store.rotate(admin, role, "pw-" + r);
                }
                long afterLast = pool.stats().connectionsCreated();
                TestPools.eventually(Duration.ofSeconds(30), "connections opened after the last rotation",
                        () -> pool.stats().connectionsCreated() >= afterLast + 3);
                stop.set(true);
                for (Future<?> w : workers) {
                    w.get(60, TimeUnit.SECONDS); // rethrows the first failed borrow
                }
            } finally {
                stop.set(true);
                executor.shutdownNow();
            }
            // A connect that read the old password just before ALTER ROLE may still fail at login (the server
            // keeps one password per role); the opener then retries with the new one, and no borrower sees it.
            assertThat(pool.stats().timeouts()).isZero();
            assertThat(store.asked.get()).isGreaterThanOrEqualTo((int) pool.stats().connectionsCreated());
        }
    }

    @Test
    void aCredentialsProviderGivesEachNewLogin(TestDatabase db) throws Exception {
        Connection admin = db.connect();
        String first = createRole(db, admin);
        String second = "rot2_" + db.name();
        try (Statement s = admin.createStatement()) {
            s.execute("CREATE ROLE " + second + " LOGIN PASSWORD 'second-pw'");
        }
        java.util.concurrent.atomic.AtomicReference<CredentialsProvider.Credentials> current =
                new java.util.concurrent.atomic.AtomicReference<>(new CredentialsProvider.Credentials(first, "first-pw"));
        try (EtlPool pool = EtlPool.builder().jdbcUrl(db.jdbcUrl())
                .credentialsProvider(current::get).minSize(0).maxSize(1)
                .connectionTimeout(Duration.ofSeconds(5)).registerMBean(false).build()) {
            Connection c = pool.getConnection();
            assertThat(currentUser(c)).isEqualTo(first);
            current.set(new CredentialsProvider.Credentials(second, "second-pw"));
            c.close();
            c = pool.getConnection();
            assertThat(currentUser(c)).as("an open connection keeps its login").isEqualTo(first);
            pool.evict(c);
            try (Connection next = pool.getConnection()) {
                assertThat(currentUser(next)).as("the next connection opened asks again").isEqualTo(second);
            }
            assertThat(pool.stats().connectFailures()).isZero();
        }
    }

    @Test
    void aFixedPasswordFailsNewConnectionsAfterARotation(TestDatabase db) throws Exception {
        Connection admin = db.connect();
        String role = createRole(db, admin);
        try (EtlPool pool = EtlPool.builder().jdbcUrl(db.jdbcUrl()).username(role).password("first-pw")
                .minSize(0).maxSize(1).connectionTimeout(Duration.ofSeconds(2)).registerMBean(false).build()) {
            new SecretStore().rotate(admin, role, "second-pw");
            Connection c = pool.getConnection();
            pool.evict(c);
            assertThatThrownBy(pool::getConnection).isInstanceOf(SQLException.class)
                    .hasMessageContaining("password");
        }
    }
}
