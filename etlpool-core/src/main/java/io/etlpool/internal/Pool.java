package io.etlpool.internal;

import io.etlpool.CloseReason;
import io.etlpool.PoolClosedException;
import io.etlpool.PoolConfig;
import io.etlpool.PoolInitializationException;
import io.etlpool.PoolListener;
import io.etlpool.PoolStats;
import io.etlpool.PoolTimeoutException;
import io.etlpool.PoolTimeoutException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The pool's engine behind {@link io.etlpool.EtlPool}: borrow, return, validation, growth, close. */
public final class Pool {

    private static final Logger LOG = LoggerFactory.getLogger("io.etlpool.pool");
    /** Below this much time left, a borrower does not start a validation it could not finish. */
    private static final long MIN_VALIDATION_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final PoolConfig config;
    private final String name;
    private final ConnectionBag bag = new ConnectionBag();
    private final PoolCounters counters = new PoolCounters();
    private final ConnectionOpener opener;
    private final HouseKeeper houseKeeper;
    private final ExecutorService closer;
    private final PoolListener listener;
    private final boolean hasListener;
    private final long validateAfterIdleNanos;
    private final long validationTimeoutNanos;
    private final boolean leakDetection;
    /** Bumped on every connection-loss error: entries last checked in an older epoch are validated before lending. */
    private final AtomicInteger epoch = new AtomicInteger();
    private final JmxRegistration jmx;
    private volatile int minSize;
    private volatile int maxSize;
    private volatile boolean closing;
    /** Until start() returns: the first connection is wanted even at minSize 0 (it checks the database). */
    private volatile boolean starting = true;

    public Pool(PoolConfig config, String password) throws SQLException {
        this.config = config;
        this.name = config.name();
        this.listener = config.listener();
        this.hasListener = listener != PoolListener.NONE;
        this.minSize = config.minSize();
        this.maxSize = config.maxSize();
        this.validateAfterIdleNanos = config.validateAfterIdle().toNanos();
        this.validationTimeoutNanos = config.validationTimeout().toNanos();
        this.leakDetection = !config.leakDetectionThreshold().isZero();
        this.opener = new ConnectionOpener(this, new ConnectionFactory(config, password));
        this.closer = Executors.newSingleThreadExecutor(threads(name + "-closer"));
        this.houseKeeper = new HouseKeeper(this);
        this.jmx = config.registerMBean() ? JmxRegistration.register(this) : null;
        try {
            start();
        } catch (SQLException | RuntimeException e) {
            shutdownNow();
            throw e;
        }
    }

    private void start() throws SQLException {
        Duration wait = config.initializationFailTimeout();
        opener.fillTo(Math.max(1, minSize)); // also checks the database when minSize is 0
        if (!wait.isNegative()) {
            awaitFirstConnection(wait);
        }
        starting = false;
        houseKeeper.start();
        LOG.info("{} - started: minSize={}, maxSize={}, {}", name, minSize, maxSize,
                config.jdbcUrl() != null ? Urls.mask(config.jdbcUrl()) : "DataSource " + config.dataSource().getClass().getName());
    }

    /**
     * Waits for the first connection: fails at once on a refused login or unknown host (retrying cannot
     * help), after the first failure when the wait is zero (one attempt), else at the deadline.
     */
    private void awaitFirstConnection(Duration wait) throws SQLException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (total() == 0) {
            SQLException error = opener.currentError();
            boolean hopeless = error != null && (wait.isZero() || ConnectErrors.isPermanent(error));
            boolean expired = !wait.isZero() && System.nanoTime() - deadline > 0;
            if (hopeless || expired) {
                String why = error != null ? ConnectErrors.describe(error, config.jdbcUrl(), config.username())
                        : "no connection was opened in time";
                throw new PoolInitializationException(name + " - could not start: " + why
                        + " (initializationFailTimeout=" + wait.toMillis() + " ms; a negative value starts the pool "
                        + "anyway and keeps trying in the background)",
                        error == null ? "08001" : SqlStates.stateOf(error), error);
            }
            sleepQuietly(5);
        }
    }

    // ---------------------------------------------------------------- borrowing

    public ProxyConnection borrow(long timeoutNanos) throws SQLException {
        long start = System.nanoTime();
        if (closing) {
            throw closedException();
        }
        long deadline = start + timeoutNanos;
        try {
            while (true) {
                PoolEntry e = bag.tryClaim();
                boolean waited = false;
                if (e == null) {
                    e = waitFor(1, deadline, start)[0];
                    waited = true;
                }
                if (needsValidation(e, start) && !validateForBorrower(e, start, timeoutNanos)) {
                    continue;
                }
                return lend(e, start, waited);
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new SQLException(name + " - interrupted while waiting for a connection", "08001", ie);
        }
    }

    /** Queues for n connections until the deadline, asking the opener for more; throws on timeout or close. */
    private PoolEntry[] waitFor(int n, long deadline, long start) throws SQLException, InterruptedException {
        if (closing) {
            throw closedException();
        }
        int maxWaiting = config.maxWaiting();
        if (maxWaiting > 0 && bag.waiting() >= maxWaiting) {
            counters.timeouts.increment();
            throw new PoolTimeoutException(name + " - " + maxWaiting + " borrowers are already waiting (maxWaiting="
                    + maxWaiting + "): " + counts(), Reason.TOO_MANY_WAITING, "08001", null);
        }
        PoolEntry[] got = bag.await(n, deadline, () -> {
            for (int i = 0; i < n && opener.request(); i++) {
                // one new connection per missing one, up to maxSize
            }
        });
        if (got == null) {
            throw bag.isClosed() ? closedException() : timeout(start, n);
        }
        return got;
    }

    /** Takes n connections at once, all or none, queueing fairly with single borrowers. */
    public ProxyConnection[] borrowMany(int n, long timeoutNanos) throws SQLException {
        long start = System.nanoTime();
        long deadline = start + timeoutNanos;
        try {
            while (true) {
                PoolEntry[] got = bag.tryClaimAll(n);
                if (got == null) {
                    got = waitFor(n, deadline, start);
                }
                int good = 0;
                for (PoolEntry e : got) {
                    if (!needsValidation(e, start) || validate(e, deadline)) {
                        got[good++] = e;
                    } else {
                        discard(e, CloseReason.VALIDATION_FAILED);
                    }
                }
                if (good == n) {
                    ProxyConnection[] lent = new ProxyConnection[n];
                    for (int i = 0; i < n; i++) {
                        lent[i] = lend(got[i], start, true);
                    }
                    return lent;
                }
                for (int i = 0; i < good; i++) {
                    bag.requite(got[i]); // a replacement is needed: all or none, so give these back and wait again
                }
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new SQLException(name + " - interrupted while waiting for " + n + " connections", "08001", ie);
        }
    }

    private boolean needsValidation(PoolEntry e, long now) {
        return now - e.lastCheckedNanos > validateAfterIdleNanos || e.epoch != epoch.get();
    }

    /** Validates within the borrower's deadline; a connection that fails is discarded. */
    private boolean validateForBorrower(PoolEntry e, long start, long timeoutNanos) throws SQLException {
        long deadline = start + timeoutNanos;
        if (deadline - System.nanoTime() < MIN_VALIDATION_NANOS) {
            bag.requite(e); // no time left to validate it: leave it for the next borrower
            throw timeout(start, 1);
        }
        if (validate(e, deadline)) {
            return true;
        }
        discard(e, CloseReason.VALIDATION_FAILED);
        return false;
    }

    /** isValid bounded by validationTimeout and the deadline, to the millisecond where the driver allows. */
    boolean validate(PoolEntry e, long deadline) {
        int epochNow = epoch.get();
        long budget = Math.min(validationTimeoutNanos, Math.max(MIN_VALIDATION_NANOS, deadline - System.nanoTime()));
        int ms = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(budget));
        Connection raw = e.raw;
        boolean ok;
        try {
            int saved = raw.getNetworkTimeout();
            raw.setNetworkTimeout(Runnable::run, ms);
            try {
                ok = raw.isValid(0); // no timeout of its own: the network timeout bounds it
            } finally {
                if (!raw.isClosed()) {
                    raw.setNetworkTimeout(Runnable::run, saved);
                }
            }
        } catch (SQLFeatureNotSupportedException | UnsupportedOperationException noNetworkTimeout) {
            try {
                ok = raw.isValid((int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(budget + 999_999_999)));
            } catch (SQLException ex) {
                ok = false;
            }
        } catch (SQLException ex) {
            ok = false;
        }
        if (ok) {
            e.epoch = epochNow;
            e.lastCheckedNanos = System.nanoTime();
        } else {
            counters.validationFailures.increment();
        }
        return ok;
    }

    private ProxyConnection lend(PoolEntry e, long start, boolean waited) {
        long now = waited ? System.nanoTime() : start;
        e.borrowedNanos = now;
        e.activitySeen = e.activity;
        e.activitySeenNanos = now;
        if (leakDetection) {
            e.borrower = Thread.currentThread();
            e.borrowSite = new Throwable("connection borrowed here");
            e.leakReported = false;
        }
        e.borrowCount++;
        if (waited) {
            counters.waited(now - start);
        }
        if (hasListener) {
            listener.connectionBorrowed(Duration.ofNanos(now - start));
        }
        return new ProxyConnection(this, e);
    }

    // ---------------------------------------------------------------- returning

    void giveBack(ProxyConnection proxy) {
        PoolEntry e = proxy.entry;
        long now = System.nanoTime();
        e.usageNanos += now - e.borrowedNanos;
        if (hasListener) {
            listener.connectionReturned(Duration.ofNanos(now - e.borrowedNanos));
        }
        if (leakDetection) {
            if (e.leakReported) {
                LOG.info("{} - a connection reported as a possible leak came back after {} ms", name,
                        TimeUnit.NANOSECONDS.toMillis(now - e.borrowedNanos));
            }
            e.borrower = null;
            e.borrowSite = null;
        }
        boolean clean = !e.broken && proxy.reset();
        if (!clean) {
            discard(e, e.broken ? CloseReason.BROKEN : CloseReason.RESET_FAILED);
        } else if (closing) {
            discard(e, CloseReason.POOL_CLOSED);
        } else if (now - e.retireAtNanos >= 0) {
            discard(e, CloseReason.MAX_LIFETIME);
        } else if (total() > maxSize) {
            discard(e, CloseReason.SHRINK);
        } else {
            e.lastReturnedNanos = now;
            e.lastCheckedNanos = now;
            bag.requite(e);
        }
    }

    /** Marks a lent connection for closing on return (psycopg2's putconn(conn, close=True)). */
    public void evict(ProxyConnection proxy) {
        proxy.entry.broken = true;
        proxy.entry.evicted = true;
    }

    // ---------------------------------------------------------------- errors seen on connections

    SQLException checkException(PoolEntry e, SQLException ex) {
        if (!e.broken && SqlStates.isConnectionLoss(ex)) {
            e.broken = true;
            epoch.incrementAndGet(); // idle connections may have died the same way: validate them before lending
            LOG.debug("{} - connection lost ({}): it will be replaced", name, ex.getSQLState());
        }
        return ex;
    }

    // ---------------------------------------------------------------- adding and removing connections

    void added(PoolEntry e, Duration took) {
        counters.created.increment();
        counters.connectNanos.add(took.toNanos());
        if (closing) {
            opener.released();
            closeRaw(e, CloseReason.POOL_CLOSED);
            return;
        }
        bag.add(e);
        if (hasListener) {
            listener.connectionOpened(took);
        }
    }

    /** Removes a claimed or reserved entry, closes it in the background and asks for a replacement if wanted. */
    void discard(PoolEntry e, CloseReason reason) {
        if (e.state() == PoolEntry.REMOVED) {
            return; // closed already (the pool force-closed it under its borrower)
        }
        if (reason == CloseReason.BROKEN && e.evicted) {
            reason = CloseReason.EVICTED;
        }
        e.setState(PoolEntry.REMOVED);
        removeEntry(e);
        if (reason == CloseReason.BROKEN) {
            counters.broken.increment();
        }
        try {
            CloseReason why = reason;
            closer.execute(() -> closeRaw(e, why));
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            closeRaw(e, reason);
        }
        if (wantsConnections()) {
            opener.request();
        }
    }

    /** Out of the bag, and its slot free at once, so a replacement can be asked for now. */
    private void removeEntry(PoolEntry e) {
        counters.retire(e);
        bag.remove(e);
        opener.released();
    }

    private void closeRaw(PoolEntry e, CloseReason reason) {
        try {
            e.raw.close();
        } catch (SQLException | RuntimeException ignored) {
            // it is being thrown away; a failing close changes nothing
        }
        counters.closed.increment();
        if (hasListener) {
            listener.connectionClosed(reason);
        }
    }

    /** More connections are wanted: below minSize, borrowers are waiting, or the pool is starting. */
    boolean wantsConnections() {
        return !closing && (total() < minSize || bag.hasWaiters() || (starting && total() == 0));
    }

    void connectFailed(SQLException error, int consecutive) {
        counters.connectFailures.increment();
        if (hasListener) {
            listener.connectFailed(error, consecutive);
        }
    }

    void leakSuspected(PoolEntry e, long heldNanos) {
        counters.leaks.increment();
        e.leakReported = true;
        LOG.warn("{} - possible connection leak: a connection has been held for {} ms with no database activity "
                        + "for longer than leakDetectionThreshold ({} ms); it was borrowed here:", name,
                TimeUnit.NANOSECONDS.toMillis(heldNanos), config.leakDetectionThreshold().toMillis(), e.borrowSite);
        if (hasListener) {
            listener.leakSuspected(Duration.ofNanos(heldNanos), e.borrowSite);
        }
    }

    // ---------------------------------------------------------------- sizing and stats

    public void resize(int newMin, int newMax) {
        if (newMax < 1 || newMin < 0 || newMin > newMax) {
            throw new IllegalArgumentException("resize(" + newMin + ", " + newMax
                    + "): need 0 <= minSize <= maxSize and maxSize >= 1");
        }
        maxSize = newMax;
        minSize = newMin;
        houseKeeper.runSoon();
        int waiting = bag.waiting();
        for (int i = 0; i < waiting && opener.request(); i++) {
            // borrowers were waiting for a larger pool
        }
    }

    public PoolStats stats() {
        int idle = 0;
        int active = 0;
        long borrows = counters.retiredBorrows.sum();
        long usage = counters.retiredUsageNanos.sum();
        PoolEntry[] all = bag.snapshot();
        for (PoolEntry e : all) {
            borrows += e.borrowCount;
            usage += e.usageNanos;
            int s = e.state();
            if (s == PoolEntry.IDLE) {
                idle++;
            } else if (s == PoolEntry.IN_USE) {
                active++;
            }
        }
        PoolCounters c = counters;
        return new PoolStats(name, all.length, active, idle, bag.waiting(), opener.pending(), minSize, maxSize,
                borrows, c.waitedBorrows.sum(), c.timeouts.sum(), c.created.sum(), c.closed.sum(),
                c.connectFailures.sum(), c.broken.sum(), c.validationFailures.sum(), c.leaks.sum(), c.waitNanos.sum(),
                c.maxWaitNanos.get(), usage, c.connectNanos.sum());
    }

    private String counts() {
        PoolStats s = stats();
        return "total=" + s.total() + ", active=" + s.active() + ", idle=" + s.idle() + ", waiting=" + s.waiting()
                + ", maxSize=" + s.maxSize();
    }

    // ---------------------------------------------------------------- errors for borrowers

    private PoolTimeoutException timeout(long start, int n) {
        counters.timeouts.increment();
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        SQLException connectError = opener.currentError();
        PoolStats s = stats();
        PoolTimeoutException ex;
        if (s.active() + n > s.maxSize()) {
            String wanted = n == 1 ? "no connection" : "not " + n + " connections at once";
            ex = new PoolTimeoutException(name + " - pool exhausted: " + wanted + " free after " + waitedMs + " ms, "
                    + s.active() + " of " + s.maxSize() + " in use, " + s.waiting() + " waiting (" + counts()
                    + "). Return connections sooner, raise maxSize, or raise connectionTimeout",
                    Reason.POOL_EXHAUSTED, "08001", connectError);
        } else if (connectError != null) {
            ex = new PoolTimeoutException(name + " - no connection available after " + waitedMs + " ms: "
                    + ConnectErrors.describe(connectError, config.jdbcUrl(), config.username()) + ". Pool: "
                    + counts(), ConnectErrors.reason(connectError), SqlStates.stateOf(connectError), connectError);
        } else {
            ex = new PoolTimeoutException(name + " - no connection available after " + waitedMs + " ms: "
                    + s.pending() + " connection(s) being opened, none ready in time (" + counts()
                    + "). Opening connections takes longer than connectionTimeout allows",
                    Reason.SLOW_CONNECT, "08001", null);
        }
        if (hasListener) {
            listener.borrowTimedOut(ex);
        }
        return ex;
    }

    private PoolClosedException closedException() {
        return new PoolClosedException(name + " - the pool is closed");
    }

    // ---------------------------------------------------------------- closing

    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        bag.close();
        houseKeeper.stop();
        for (PoolEntry e : bag.snapshot()) {
            if (e.cas(PoolEntry.IDLE, PoolEntry.REMOVED)) {
                removeEntry(e);
                closeRaw(e, CloseReason.POOL_CLOSED);
            }
        }
        long deadline = System.nanoTime() + config.closeGracePeriod().toNanos();
        while (bag.size() > 0 && System.nanoTime() - deadline < 0) { // idle ones are gone: the rest are lent
            sleepQuietly(10);
        }
        List<PoolEntry> forced = new ArrayList<>();
        for (PoolEntry e : bag.snapshot()) {
            if (e.state() != PoolEntry.REMOVED) {
                forced.add(e);
                e.broken = true;
                e.setState(PoolEntry.REMOVED);
                removeEntry(e);
                closeRaw(e, CloseReason.POOL_CLOSED);
            }
        }
        if (!forced.isEmpty()) {
            String message = forced.size() + " connection(s) were still borrowed after closeGracePeriod ("
                    + config.closeGracePeriod().toMillis() + " ms) and were closed under their borrowers";
            LOG.warn("{} - {}", name, message);
            if (jmx != null) {
                jmx.forcedClose(forced.size(), message);
            }
        }
        shutdownNow();
        LOG.info("{} - closed: {}", name, stats());
    }

    private void shutdownNow() {
        closing = true;
        bag.close();
        houseKeeper.stop();
        opener.shutdown();
        closer.shutdown();
        try {
            closer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (jmx != null) {
            jmx.unregister();
        }
    }

    // ---------------------------------------------------------------- for the other internals

    public String name() {
        return name;
    }

    public PoolConfig config() {
        return config;
    }

    public boolean closing() {
        return closing;
    }

    int total() {
        return bag.size();
    }

    int minSize() {
        return minSize;
    }

    /** Mean time a connect took, 0 before the first. */
    /** Borrowers served after waiting, so far: how fast the queue is being served. */
    long servedWaiters() {
        return counters.waitedBorrows.sum();
    }

    /** maxSize now (resize changes it). */
    public int maxSize() {
        return maxSize;
    }

    int epoch() {
        return epoch.get();
    }

    ConnectionBag bag() {
        return bag;
    }

    ConnectionOpener opener() {
        return opener;
    }

    static ThreadFactory threads(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
