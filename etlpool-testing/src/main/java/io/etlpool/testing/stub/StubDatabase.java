package io.etlpool.testing.stub;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A database that talks to nobody, for tests of a pool's races and failure paths in milliseconds. Each
 * instance has its own behaviour, set by the test that holds it (no static state): a call can throw any
 * {@link Throwable} ({@link #fail}), block until the test opens a {@link Gate} ({@link #block}), and
 * {@code isValid} can answer false ({@link #invalid}). A connection can {@linkplain StubConnection#die()
 * die} like one whose server went away.
 *
 * <pre>{@code
 * StubDatabase db = new StubDatabase();
 * try (EtlPool pool = EtlPool.builder().dataSource(db.dataSource()).maxSize(1).build()) {
 *     db.fail(StubDatabase.Call.IS_VALID, new IllegalStateException("driver bug"));
 *     ...
 * }
 * }</pre>
 */
public final class StubDatabase {

    /** The driver calls whose behaviour a test can change. */
    public enum Call {
        /** Opening a connection ({@code DataSource.getConnection}). */
        CONNECT,
        /** {@code Connection.isValid}. */
        IS_VALID,
        /** A statement's execution. */
        EXECUTE,
        /** {@code Connection.rollback}. */
        ROLLBACK,
        /** {@code Connection.close}. */
        CLOSE
    }

    /** What a call does instead of succeeding: throw or block. */
    private interface Fault {
        void apply(int networkTimeoutMs) throws SQLException;
    }

    private final AtomicReferenceArray<Fault> faults = new AtomicReferenceArray<>(Call.values().length);
    private volatile boolean valid = true;
    private final AtomicInteger connects = new AtomicInteger();
    private final Set<StubConnection> open = ConcurrentHashMap.newKeySet();
    private final DataSource dataSource = new StubDataSource(this);

    /** A DataSource whose connections are this database's (user and password are ignored). */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Every later call of this kind throws {@code failure} (an SQLException, a RuntimeException or an Error). */
    public StubDatabase fail(Call call, Throwable failure) {
        faults.set(call.ordinal(), timeoutMs -> {
            throw rethrowable(failure);
        });
        return this;
    }

    /**
     * Every later call of this kind blocks until the gate opens. Like a driver waiting for a server that
     * does not answer, it ignores interrupts; when the connection has a network timeout it fails with
     * SQLState 08006 after it, as PgJDBC does.
     */
    public Gate block(Call call) {
        Gate gate = new Gate();
        faults.set(call.ordinal(), gate::pass);
        return gate;
    }

    /** {@code isValid} answers false from now on (until {@link #heal}). */
    public StubDatabase invalid() {
        valid = false;
        return this;
    }

    /** Calls of this kind succeed again. */
    public StubDatabase heal(Call call) {
        faults.set(call.ordinal(), null);
        return this;
    }

    /** Every call succeeds again and {@code isValid} answers true. */
    public StubDatabase heal() {
        for (Call c : Call.values()) {
            heal(c);
        }
        valid = true;
        return this;
    }

    /** Connect attempts so far, failed ones included. */
    public int connectAttempts() {
        return connects.get();
    }

    /** Connections opened and not closed yet. */
    public List<StubConnection> openConnections() {
        return new ArrayList<>(open);
    }

    /** Makes every open connection die, as when the server restarts. */
    public void killAll() {
        for (StubConnection c : open) {
            c.die();
        }
    }

    Connection connect() throws SQLException {
        connects.incrementAndGet();
        check(Call.CONNECT, 0);
        StubConnection c = new StubConnection(this);
        open.add(c);
        return c;
    }

    /** Applies the fault set for this call, if any. */
    void check(Call call, int networkTimeoutMs) throws SQLException {
        Fault f = faults.get(call.ordinal());
        if (f != null) {
            f.apply(networkTimeoutMs);
        }
    }

    boolean valid() {
        return valid;
    }

    void closed(StubConnection c) {
        open.remove(c);
    }

    private static SQLException rethrowable(Throwable failure) {
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        return failure instanceof SQLException ? (SQLException) failure : new SQLException(failure);
    }
}
