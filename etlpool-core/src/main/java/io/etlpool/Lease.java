package io.etlpool;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Several connections taken at once from one pool, all or none ({@link EtlPool#acquire(int)});
 * {@link #close()} gives them all back.
 */
public final class Lease implements AutoCloseable {

    private final Connection[] connections;

    Lease(Connection[] connections) {
        this.connections = connections;
    }

    /** The i-th connection (0-based). */
    public Connection get(int i) {
        return connections[i];
    }

    /** How many connections this lease holds. */
    public int size() {
        return connections.length;
    }

    /** The leased connections, in the order they were lent. */
    public List<Connection> connections() {
        return Collections.unmodifiableList(Arrays.asList(connections));
    }

    /** Gives every connection back; the first failure is thrown after all were tried. */
    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (Connection c : connections) {
            try {
                c.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
