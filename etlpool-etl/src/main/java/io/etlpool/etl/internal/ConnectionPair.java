package io.etlpool.etl.internal;

import io.etlpool.Lease;
import io.etlpool.etl.EtlJob;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A source and a target connection for one unit of work. From one pool they are taken together with
 * {@code acquire(2)}, all or none, so tasks that each hold one can never wait on each other; from two
 * pools, always source first, then target, so no two tasks wait in opposite orders.
 */
final class ConnectionPair implements AutoCloseable {

    private final Lease lease;
    private final Connection source;
    private final Connection target;

    private ConnectionPair(Lease lease, Connection source, Connection target) {
        this.lease = lease;
        this.source = source;
        this.target = target;
    }

    static ConnectionPair open(EtlJob job) throws SQLException {
        if (job.sourcePool() == job.targetPool()) {
            Lease lease = job.sourcePool().acquire(2);
            return new ConnectionPair(lease, lease.get(0), lease.get(1));
        }
        Connection source = job.sourcePool().getConnection();
        try {
            return new ConnectionPair(null, source, job.targetPool().getConnection());
        } catch (SQLException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    Connection source() {
        return source;
    }

    Connection target() {
        return target;
    }

    @Override
    public void close() throws SQLException {
        if (lease != null) {
            lease.close();
            return;
        }
        try {
            target.close();
        } finally {
            source.close();
        }
    }
}
