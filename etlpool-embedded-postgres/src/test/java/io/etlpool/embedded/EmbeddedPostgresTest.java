package io.etlpool.embedded;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedPostgresTest {

    static EmbeddedPostgres pg;

    @BeforeAll
    static void start() {
        pg = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void answersQueriesThroughPgJdbc() throws SQLException {
        try (Connection c = pg.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_user, inet_server_addr()::text, current_setting('fsync')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("postgres");
            assertThat(rs.getString(2)).startsWith("127.0.0.1");
            assertThat(rs.getString(3)).isEqualTo("off");
        }
        assertThat(pg.jdbcUrl("x")).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/x");
    }

    @Test
    void wrongPasswordIsRefused() {
        assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), pg.superuser(), "not-the-password"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void createsAndDropsDatabases() throws SQLException {
        pg.createDatabase("shop_a");
        try (Connection c = pg.connect("shop_a"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(id int)");
        }
        pg.dropDatabase("shop_a");
        assertThatThrownBy(() -> pg.connect("shop_a"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("3D000"));
        assertThatThrownBy(() -> pg.createDatabase("Robert'); DROP"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lower-case letters");
    }

    @Test
    void terminateBackendsEndsOtherSessions() throws SQLException {
        pg.createDatabase("kill_me");
        try (Connection victim = pg.connect("kill_me"); Connection other = pg.connect("kill_me")) {
            assertThat(pg.backendCount("kill_me")).isEqualTo(2);
            assertThat(pg.terminateBackends("kill_me")).isEqualTo(2);
            assertThatThrownBy(() -> victim.createStatement().executeQuery("SELECT 1"))
                    .isInstanceOfSatisfying(SQLException.class, e ->
                            assertThat(e.getSQLState()).isIn("57P01", "08006", "08003"));
            assertThat(pg.backendCount("kill_me")).isZero();
        } finally {
            pg.dropDatabase("kill_me");
        }
    }

    @Test
    void restartKeepsDataAndPort() throws SQLException {
        try (EmbeddedPostgres own = EmbeddedPostgres.builder().maxConnections(20).start()) {
            int port = own.port();
            try (Connection c = own.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept(v text)");
                s.execute("INSERT INTO kept VALUES ('still here')");
            }
            own.stop();
            assertThat(own.isRunning()).isFalse();
            assertThatThrownBy(() -> own.connect("postgres")).isInstanceOf(SQLException.class);
            own.start();
            assertThat(own.port()).isEqualTo(port);
            try (Connection c = own.connect("postgres"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT v, current_setting('max_connections') FROM kept")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("still here");
                assertThat(rs.getString(2)).isEqualTo("20");
            }
        }
    }

    @Test
    void adminQueriesWaitForASlotOnAFullServer() throws Exception {
        try (EmbeddedPostgres own = EmbeddedPostgres.builder().maxConnections(4).start()) {
            List<Connection> others = new ArrayList<>();
            try {
                while (true) { // every slot, the superuser's reserved ones too
                    try {
                        others.add(own.connect("postgres"));
                    } catch (SQLException e) {
                        assertThat(e.getSQLState()).isEqualTo("53300");
                        break;
                    }
                }
                Connection freed = others.remove(0);
                Thread closer = new Thread(() -> {
                    try {
                        Thread.sleep(500);
                        freed.close();
                    } catch (InterruptedException | SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                closer.start();
                // the server is full when this asks; it answers once the slot above is free
                assertThat(own.backendCount("postgres")).isEqualTo(others.size());
                closer.join();
            } finally {
                for (Connection c : others) {
                    c.close();
                }
            }
        }
    }

    @Test
    void closeDeletesTheDirectory() {
        EmbeddedPostgres own = EmbeddedPostgres.builder().start();
        Path dir = own.baseDirectory();
        assertThat(dir).isDirectory();
        own.close();
        own.close(); // harmless twice
        assertThat(Files.exists(dir)).isFalse();
        assertThatThrownBy(own::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void failedStartNamesTheBinaryTheUserAndTheLog() {
        assertThatThrownBy(() -> EmbeddedPostgres.builder().setting("no_such_setting", "1").start())
                .isInstanceOf(EmbeddedPostgresException.class)
                .hasMessageContaining("postgres")
                .hasMessageContaining("run as user")
                .hasMessageContaining("no_such_setting");
    }

    @Test
    void bundledBinariesFromMavenCentralStartToo() throws SQLException {
        try (EmbeddedPostgres bundled = EmbeddedPostgres.builder().binaries(PostgresBinaries.bundled()).start();
             Connection c = bundled.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW server_version")) {
            assertThat(bundled.binaries().origin()).contains("bundled binaries jar");
            rs.next();
            assertThat(rs.getString(1)).startsWith("15.");
        }
    }

    @Test
    void pgBinThatIsNotABinDirectoryIsExplained() {
        assertThatThrownBy(() -> PostgresBinaries.inDirectory(Path.of("/nonexistent")))
                .hasMessageContaining("no executable initdb and postgres");
    }
}
