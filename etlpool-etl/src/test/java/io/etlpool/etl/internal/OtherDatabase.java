package io.etlpool.etl.internal;

import io.etlpool.EtlPool;
import io.etlpool.testing.TestDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A second database on the test's server (a target), dropped with its sessions on close. */
final class OtherDatabase implements AutoCloseable {

    private final TestDatabase db;
    private final String name;
    private final List<Connection> opened = new ArrayList<>();

    OtherDatabase(TestDatabase db) {
        this.db = db;
        this.name = "target_" + Integer.toHexString(db.name().hashCode());
        db.server().createDatabase(name);
    }

    String name() {
        return name;
    }

    String jdbcUrl() {
        return db.server().jdbcUrl(name);
    }

    Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl(), db.credentials());
        opened.add(c);
        return c;
    }

    EtlPool pool() throws SQLException {
        return EtlPool.builder().jdbcUrl(jdbcUrl()).username(db.user()).password(db.password()).maxSize(2)
                .connectionTimeout(Duration.ofSeconds(20)).closeGracePeriod(Duration.ofSeconds(2)).build();
    }

    @Override
    public void close() throws SQLException {
        for (Connection c : opened) {
            c.close();
        }
        db.server().dropDatabase(name);
    }
}
