package io.etlpool.etl.internal;

import io.etlpool.EtlPool;
import io.etlpool.etl.EtlException;
import io.etlpool.etl.EtlJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One run per job at a time: a session-level advisory lock in the target, keyed by the job's name, held
 * on a connection of its own for the whole run, plus a row in {@code etlpool_lease} saying who holds it
 * (host, pid) and since when, so a refused run can say so; the table lives next to the checkpoints (in the
 * job's checkpointSchema when one is set). The server releases the lock when the session
 * ends, so a crashed run never leaves it behind; the row of a crashed holder is simply overwritten.
 * {@link #close()} unlocks and discards the connection on every path.
 */
final class RunLease implements AutoCloseable {

    static final String TABLE = "etlpool_lease";
    private static final Logger LOG = LoggerFactory.getLogger(RunLease.class);
    private static final long POLL_MS = 500;

    private final EtlPool pool;
    private final String job;
    private final String table;
    private final EtlJob etlJob;
    private final long lockKey;
    private final String holder;
    private final ReentrantLock renew = new ReentrantLock();
    private final boolean enabled;
    private volatile Connection connection;

    private RunLease(EtlJob job, boolean enabled) {
        this.pool = job.targetPool();
        this.job = job.name();
        this.table = table(job);
        this.etlJob = job;
        this.enabled = enabled;
        this.lockKey = key(this.job);
        this.holder = holder();
    }

    /**
     * Takes the lease of a job, waiting up to {@code wait} for a run that holds it to end (zero: refuse at
     * once, naming the holder).
     */
    static RunLease acquire(EtlJob etlJob, Duration wait) throws SQLException {
        RunLease lease = new RunLease(etlJob, true);
        EtlPool pool = lease.pool;
        String job = lease.job;
        long deadline = System.nanoTime() + wait.toNanos();
        boolean told = false;
        while (true) {
            Connection c = pool.getConnection();
            try {
                if (!PartitionTask.Sessions.isPostgres(c)) {
                    LOG.warn("job {}: the target is not PostgreSQL, so no lease keeps a second run of this job from "
                            + "starting meanwhile (the fenced checkpoints still keep a chunk from loading twice)", job);
                    c.close();
                    return new RunLease(etlJob, false);
                }
                c.setAutoCommit(true);
                createIfMissing(c, etlJob);
                if (tryLock(c, lease.lockKey)) {
                    lease.record(c);
                    lease.connection = c;
                    return lease;
                }
                String who = holderOf(c, lease.table, job);
                c.close(); // holds no lock: back to the pool
                if (System.nanoTime() >= deadline) {
                    throw new EtlException("job '" + job + "' is already running: " + who + ". Two runs of one job "
                            + "at once could load rows twice, so this run did not start; wait for that run to end, "
                            + "or queue behind it with --wait (EtlJob.Builder.waitForLease)");
                }
                if (!told) {
                    LOG.info("job {} is running elsewhere ({}); waiting for its lease", job, who);
                    told = true;
                }
                sleep(POLL_MS);
            } catch (SQLException | RuntimeException e) {
                if (lease.connection != c) {
                    PartitionTask.Sessions.discard(pool, c);
                }
                throw e;
            }
        }
    }

    /** Who holds a job's lease now ("nobody"), from the lease row checked against the lock itself. */
    static String holder(EtlJob etlJob) throws SQLException {
        EtlPool pool = etlJob.targetPool();
        String job = etlJob.name();
        String table = table(etlJob);
        Connection c = pool.getConnection();
        boolean locked = false;
        try {
            c.setAutoCommit(true);
            createIfMissing(c, etlJob);
            if (tryLock(c, key(job))) {
                locked = true;
                unlock(c, key(job));
                locked = false;
                return null;
            }
            return holderOf(c, table, job);
        } finally {
            if (locked) {
                PartitionTask.Sessions.discard(pool, c); // never back to the pool holding the lock
            } else {
                c.close();
            }
        }
    }

    /**
     * Before a chunk commits: if the lease's session was lost (a killed backend, a restart), takes the lock
     * again on a new connection; refuses to go on if another run took it meanwhile.
     */
    void ensureHeld() throws SQLException {
        if (!enabled) {
            return;
        }
        renew.lock(); // one JDBC connection, many partition threads: one at a time
        try {
            if (connection != null && connection.isValid(5)) {
                return;
            }
            if (connection != null) {
                PartitionTask.Sessions.discard(pool, connection);
                connection = null;
            }
            Connection fresh = pool.getConnection();
            try {
                fresh.setAutoCommit(true);
                if (!tryLock(fresh, lockKey)) {
                    String who = holderOf(fresh, table, job);
                    fresh.close();
                    throw new EtlException("job '" + job + "' lost its lease (its session ended) and another run "
                            + "holds it now: " + who + "; this run stops, that run goes on from the checkpoints");
                }
                record(fresh);
                connection = fresh;
                LOG.info("job {}: the lease's session was lost; lease taken again", job);
            } catch (SQLException | RuntimeException e) {
                if (connection != fresh) {
                    PartitionTask.Sessions.discard(pool, fresh);
                }
                throw e;
            }
        } finally {
            renew.unlock();
        }
    }

    @Override
    public void close() {
        renew.lock();
        try {
            Connection c = connection;
            connection = null;
            if (c == null) {
                return;
            }
            try {
                if (!c.isClosed()) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE job = ? AND holder = ?")) {
                        ps.setString(1, job);
                        ps.setString(2, holder);
                        ps.executeUpdate();
                    }
                    unlock(c, lockKey);
                }
            } catch (SQLException e) {
                LOG.debug("job {}: releasing the lease failed ({}); discarding its session releases it", job, e.toString());
            } finally {
                PartitionTask.Sessions.discard(pool, c); // never back to the pool: a session lock must not outlive the run
            }
        } finally {
            renew.unlock();
        }
    }

    private void record(Connection c) throws SQLException {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table + " WHERE job = ?");
             PreparedStatement ins = c.prepareStatement("INSERT INTO " + table + " (job, holder, since) "
                     + "VALUES (?, ?, CURRENT_TIMESTAMP)")) {
            del.setString(1, job);
            del.executeUpdate();
            ins.setString(1, job);
            ins.setString(2, holder);
            ins.executeUpdate();
        }
    }

    /** The lease table's name as SQL: next to the checkpoint table, in the job's checkpointSchema. */
    static String table(EtlJob job) {
        return Sql.table(Checkpoints.written(job, TABLE));
    }

    private static void createIfMissing(Connection c, EtlJob job) throws SQLException {
        Checkpoints.createOwnTable(c, job, "lease table", TABLE, "job VARCHAR(100) PRIMARY KEY, holder VARCHAR(300) "
                + "NOT NULL, since TIMESTAMP WITH TIME ZONE NOT NULL");
    }

    private static boolean tryLock(Connection c, long key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection c, long key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, key);
            ps.execute();
        }
    }

    private static String holderOf(Connection c, String table, String job) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT holder, since FROM " + table + " WHERE job = ?")) {
            ps.setString(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "held by a run that has not recorded itself yet";
                }
                Timestamp since = rs.getTimestamp(2);
                return "held by " + rs.getString(1) + " since " + since.toInstant();
            }
        }
    }


    /** The lock key: the first 8 bytes of SHA-256("etlpool job " + name); later scopes extend the text. */
    static long key(String job) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("etlpool job " + job).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(h).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String holder() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown host";
        }
        return "host " + host + " pid " + ProcessHandle.current().pid();
    }

    private static void sleep(long ms) throws SQLException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the job's lease", "57014", e);
        }
    }
}
