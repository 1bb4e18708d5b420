package io.etlpool;

import io.etlpool.testing.FaultProxy;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.sql.Connection;
import java.time.Duration;

import static io.etlpool.TestPools.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** build() fails within initializationFailTimeout, naming the cause and the fix, never the password. */
@PostgresTest
class BadConfigurationTest {

    private static final String SECRET = "pa55-w0rd-never-shown";

    private static EtlPoolBuilder pool(String url) {
        return EtlPool.builder().jdbcUrl(url).username("postgres").password(SECRET)
                .initializationFailTimeout(Duration.ofSeconds(2));
    }

    private static void failsWith(EtlPoolBuilder builder, String state, String... phrases) {
        long start = System.nanoTime();
        assertThatThrownBy(builder::build).isInstanceOfSatisfying(PoolInitializationException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo(state);
            assertThat(e.getMessage()).contains(phrases).doesNotContain(SECRET);
            assertThat(String.valueOf(e.getCause())).doesNotContain(SECRET);
        });
        // within initializationFailTimeout (2 s), with slack for a busy machine
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
    }

    @Test
    void unknownDatabase(TestDatabase db) {
        // the right password: the server checks the login before the database
        EtlPoolBuilder builder = pool(db.server().jdbcUrl("no_such_db")).password(db.password());
        assertThatThrownBy(builder::build).isInstanceOfSatisfying(PoolInitializationException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("3D000");
            assertThat(e.getMessage()).contains("does not exist", "check the database name").doesNotContain(db.password());
        });
    }

    @Test
    void wrongPassword(TestDatabase db) {
        failsWith(pool(db.jdbcUrl()), "28P01", "refused the login of user 'postgres'", "check the username and password");
    }

    @Test
    void connectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        failsWith(pool("jdbc:postgresql://127.0.0.1:" + port + "/x"), "08001", "could not reach the database",
                "check that the server is running");
    }

    @Test
    void unknownHost() {
        failsWith(pool("jdbc:postgresql://no-such-host.invalid:5432/x"), "08001", "is unknown", "check the host name");
    }

    @Test
    void malformedUrl() {
        failsWith(pool("jdbc:postgresql://127.0.0.1:notaport/x"), "08001", "no JDBC driver accepts",
                "check the URL");
    }

    @Test
    void aPasswordInTheUrlIsMaskedInMessages() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        failsWith(EtlPool.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/x?user=u&password=" + SECRET)
                .initializationFailTimeout(Duration.ZERO), "08001", "password=****");
    }

    @Test
    void aNegativeInitializationFailTimeoutStartsAnywayAndKeepsTrying(TestDatabase db) throws Exception {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port())) {
            proxy.refuseNew();
            try (EtlPool pool = EtlPool.builder().jdbcUrl(db.jdbcUrlVia(proxy)).username(db.user())
                    .password(db.password()).minSize(1).initializationFailTimeout(Duration.ofSeconds(-1)).build()) {
                assertThat(pool.stats().total()).isZero();
                eventually(Duration.ofSeconds(5), "it keeps retrying", () -> pool.stats().connectFailures() >= 3);
                proxy.heal();
                eventually(Duration.ofSeconds(5), "connected once the database is reachable",
                        () -> pool.stats().total() == 1);
                try (Connection c = pool.getConnection()) {
                    assertThat(c.isValid(1)).isTrue();
                }
            }
        }
    }
}
