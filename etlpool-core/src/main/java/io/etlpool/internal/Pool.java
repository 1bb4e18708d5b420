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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/** The pool's engine behind {@link io.etlpool.EtlPool}: borrow, return, validation, growth, close. */
public final class Pool {

    private static final Logger LOG = LoggerFactory.getLogger("io.etlpool.pool");
    /**
     * The least time a borrower gives the validation of a connection it holds (capped by
     * validationTimeout), however little of connectionTimeout is left: with a short or zero
     * connectionTimeout a connection due for validation is still checked and lent, not refused.
     */
    static final long MIN_VALIDATION_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final PoolConfig config;
    private final String name;
    private final ConnectionBag bag = new ConnectionBag();
    private final PoolCounters counters = new PoolCounters();
    private final ConnectionOpener opener;
    private final HouseKeeper houseKeeper;
    private final ThreadPoolExecutor closer;
    private final Listeners listeners;
    private final long validateAfterIdleNanos;
    private final long validationTimeoutNanos;
    private final boolean leakDetection;
    /** Bumped on every connection-loss error: entries last checked in an older epoch are validated before lending. */
    private final AtomicInteger epoch = new AtomicInteger();
    private final JmxRegistration jmx;
    /** Connections wanted by borrowers waiting now (n for acquire(n)): the opener's demand. */
    private final AtomicInteger wanted = new AtomicInteger();
    /** Borrowers waiting now, reserved by compare-and-set against maxWaiting. */
    private final AtomicInteger waitingBorrowers = new AtomicInteger();
    private final PoolShutdown shutdown;
    private volatile int minSize;
    private volatile int maxSize;
    private volatile boolean closing;
    /** JMX suspend: borrowers wait on {@link #suspension} until resumed. */
    private volatile boolean suspended;
    /** A lock, not a monitor: a virtual thread waiting here must not pin its carrier. */
    private final ReentrantLock suspension = new ReentrantLock();
    private final Condition resumed = suspension.newCondition();
    /** Until start() returns: the first connection is wanted even at minSize 0 (it checks the database). */
    private volatile boolean starting = true;

    public Pool(PoolConfig config, String password) throws SQLException {
        this.config = config;
        this.name = config.name();
        this.listeners = new Listeners(name, config.listeners());
        this.minSize = config.minSize();
        this.maxSize = config.maxSize();
        this.validateAfterIdleNanos = config.validateAfterIdle().toNanos();
        this.validationTimeoutNanos = config.validationTimeout().toNanos();
        this.leakDetection = !config.leakDetectionThreshold().isZero();
        this.opener = new ConnectionOpener(this, new ConnectionFactory(config, password));
        this.closer = closerExecutor(name, config.maxSize());
        this.houseKeeper = new HouseKeeper(this);
        this.jmx = config.registerMBean() ? JmxRegistration.register(this) : null;
        this.shutdown = new PoolShutdown(this, houseKeeper, closer, jmx);
        try {
            start();
        } catch (SQLException | RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private void start() throws SQLException {
        Duration wait = config.initializationFailTimeout();
        opener.reconcile(); // minSize connections, and one at minSize 0 too: it checks the database
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
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt(); // kept for the caller; the pool is closed on the way out
                throw new PoolInitializationException(name + " - interrupted while waiting for the first connection",
                        "08001", new InterruptedException());
            }
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
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(5)); // an interrupt ends it: see above
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
            awaitResumed(start, deadline);
            while (true) {
                PoolEntry e = bag.tryClaim();
                boolean waited = false;
                if (e == null) {
                    e = waitFor(1, deadline, start)[0];
                    waited = true;
                }
                if (needsValidation(e, start) && !validateForBorrower(e, start, deadline)) {
                    continue;
                }
                return lend(e, start, waited);
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new SQLException(name + " - interrupted while waiting for a connection", "08001", ie);
        }
    }

    /** While the pool is suspended, borrowers wait here, up to their deadline. */
    private void awaitResumed(long start, long deadline) throws SQLException, InterruptedException {
        if (!suspended) {
            return;
        }
        suspension.lock();
        try {
            while (suspended && !closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    counters.timeouts.increment();
                    throw new PoolTimeoutException(name + " - the pool is suspended (JMX suspend): no connection lent for "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms; resume it (JMX resume)",
                            PoolTimeoutException.Reason.SUSPENDED, "08001", null);
                }
                resumed.awaitNanos(left);
            }
        } finally {
            suspension.unlock();
        }
        if (closing) {
            throw closedException();
        }
    }

    /** Borrowers wait (up to their timeout) until {@link #resume()}; lent connections are not affected. */
    public void suspend() {
        suspended = true;
        LOG.info("{} - suspended: borrowers wait until it is resumed", name);
    }

    public void resume() {
        suspension.lock();
        try {
            suspended = false;
            resumed.signalAll();
        } finally {
            suspension.unlock();
        }
        LOG.info("{} - resumed", name);
    }

    public boolean suspended() {
        return suspended;
    }

    /**
     * Closes idle connections now and lent ones when they come back; the pool opens new ones as needed
     * (e.g. after a failover or a password rotation).
     */
    public void softEvict() {
        for (PoolEntry e : bag.snapshot()) {
            e.retireOnReturn = true; // set first: an entry lent right after the claim below fails is caught on return
            if (e.cas(PoolEntry.IDLE, PoolEntry.IN_USE)) {
                discard(e, CloseReason.EVICTED);
            }
        }
    }

    /** Queues for n connections until the deadline, asking the opener for more; throws on timeout or close. */
    private PoolEntry[] waitFor(int n, long deadline, long start) throws SQLException, InterruptedException {
        if (closing) {
            throw closedException();
        }
        reserveWaitingPlace();
        PoolEntry[] got;
        // Demand first, then reconcile (onMiss); an opener thread dropping a request frees its slot first,
        // then reconciles: one of the two sees the other's change, so no request is lost.
        wanted.addAndGet(n);
        try {
            got = bag.await(n, deadline, opener::reconcile);
        } finally {
            wanted.addAndGet(-n);
            waitingBorrowers.decrementAndGet();
        }
        if (got == null) {
            throw bag.isClosed() ? closedException() : timeout(start, n);
        }
        return got;
    }

    /** A place among the waiting borrowers, taken by compare-and-set so that maxWaiting is never exceeded. */
    private void reserveWaitingPlace() throws PoolTimeoutException {
        int maxWaiting = config.maxWaiting();
        while (true) {
            int w = waitingBorrowers.get();
            if (maxWaiting > 0 && w >= maxWaiting) {
                counters.timeouts.increment();
                throw new PoolTimeoutException(name + " - " + maxWaiting + " borrowers are already waiting (maxWaiting="
                        + maxWaiting + "): " + counts(), Reason.TOO_MANY_WAITING, "08001", null);
            }
            if (waitingBorrowers.compareAndSet(w, w + 1)) {
                return;
            }
        }
    }

    /** Takes n connections at once, all or none, queueing fairly with single borrowers. */
    public ProxyConnection[] borrowMany(int n, long timeoutNanos) throws SQLException {
        long start = System.nanoTime();
        long deadline = start + timeoutNanos;
        try {
            awaitResumed(start, deadline);
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
                    return lendAll(got, start);
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

    /** Lends all of them; if lending one fails, those lent are given back and the rest made available. */
    private ProxyConnection[] lendAll(PoolEntry[] got, long start) {
        ProxyConnection[] lent = new ProxyConnection[got.length];
        int i = 0;
        try {
            for (; i < got.length; i++) {
                lent[i] = lend(got[i], start, true);
            }
            return lent;
        } catch (Throwable t) { // lend gave back got[i] itself
            for (int j = 0; j < i; j++) {
                giveBack(lent[j]);
            }
            for (int j = i + 1; j < got.length; j++) {
                bag.requite(got[j]);
            }
            throw t;
        }
    }

    private boolean needsValidation(PoolEntry e, long now) {
        return now - e.lastCheckedNanos > validateAfterIdleNanos || e.epoch != epoch.get();
    }

    /**
     * Validates a connection the borrower holds; one that fails is discarded. The check gets at least
     * MIN_VALIDATION_NANOS (capped by validationTimeout) even when the borrower's deadline is nearer, so a
     * short connectionTimeout still lends a connection that needs checking. After a failed check past
     * the deadline the borrower gets its timeout instead of trying the next connection.
     */
    private boolean validateForBorrower(PoolEntry e, long start, long deadline) throws SQLException {
        if (validate(e, deadline)) {
            return true;
        }
        discard(e, CloseReason.VALIDATION_FAILED);
        if (System.nanoTime() - deadline >= 0) {
            throw timeout(start, 1);
        }
        return false;
    }

    /**
     * isValid bounded by validationTimeout and the deadline (see validateForBorrower for the least time
     * it gets), to the millisecond where the driver allows. Anything the driver throws, a RuntimeException
     * or an Error included, counts as a failed check: the caller discards the connection.
     */
    boolean validate(PoolEntry e, long deadline) {
        int epochNow = epoch.get();
        long budget = Math.min(validationTimeoutNanos, Math.max(MIN_VALIDATION_NANOS, deadline - System.nanoTime()));
        boolean ok;
        try {
            ok = isValid(e.raw, budget);
        } catch (Throwable t) {
            LOG.debug("{} - validating a connection failed: {}", name, t.toString());
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

    private static boolean isValid(Connection raw, long budgetNanos) throws SQLException {
        int ms = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(budgetNanos));
        try {
            int saved = raw.getNetworkTimeout();
            raw.setNetworkTimeout(Runnable::run, ms);
            try {
                return raw.isValid(0); // no timeout of its own: the network timeout bounds it
            } finally {
                if (!raw.isClosed()) {
                    raw.setNetworkTimeout(Runnable::run, saved);
                }
            }
        } catch (SQLFeatureNotSupportedException | UnsupportedOperationException noNetworkTimeout) {
            return raw.isValid((int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(budgetNanos + 999_999_999)));
        } catch (SQLException ex) {
            return false;
        }
    }

    private ProxyConnection lend(PoolEntry e, long start, boolean waited) {
        long now = waited ? System.nanoTime() : start;
        ProxyConnection lent;
        try {
            e.borrowedNanos = now;
            e.activitySeen = e.activity;
            e.activitySeenNanos = now;
            if (leakDetection) {
                e.borrowSite = new Throwable("connection borrowed here");
                e.leakReported = false;
                e.borrower = Thread.currentThread(); // last: publishes the facts above to the leak detector
            }
            e.borrowCount++;
            if (waited) {
                counters.waited(now - start);
            }
            lent = new ProxyConnection(this, e);
        } catch (Throwable t) { // out of memory, say: the connection itself is fine
            bag.requite(e);
            throw t;
        }
        if (listeners.any()) {
            listeners.fire("connectionBorrowed", l -> l.connectionBorrowed(Duration.ofNanos(now - start)));
        }
        return lent;
    }

    // ---------------------------------------------------------------- returning

    void giveBack(ProxyConnection proxy) {
        PoolEntry e = proxy.entry;
        long now = System.nanoTime();
        long used = now - e.borrowedNanos;
        e.usageNanos += used;
        if (leakDetection) {
            if (e.leakReported) {
                LOG.info("{} - a connection reported as a possible leak came back after {} ms", name,
                        TimeUnit.NANOSECONDS.toMillis(now - e.borrowedNanos));
            }
            e.borrower = null;
            e.borrowSite = null;
        }
        boolean clean;
        try {
            clean = !e.broken && proxy.reset(); // reset() catches what the driver throws, except an Error
        } catch (Throwable t) {
            discard(e, CloseReason.RESET_FAILED);
            throw t;
        }
        if (!clean) {
            discard(e, e.broken ? CloseReason.BROKEN : CloseReason.RESET_FAILED);
        } else if (closing) {
            discard(e, CloseReason.POOL_CLOSED);
        } else if (e.retireOnReturn) {
            discard(e, CloseReason.EVICTED);
        } else if (now - e.retireAtNanos >= 0) {
            discard(e, CloseReason.MAX_LIFETIME);
        } else if (total() > maxSize) {
            discard(e, CloseReason.SHRINK);
        } else {
            e.lastReturnedNanos = now;
            e.lastCheckedNanos = now;
            bag.requite(e);
            if (closing) {
                closeIfIdle(e); // close() began after the check above: its sweep may have passed this one
            }
        }
        if (listeners.any()) {
            listeners.fire("connectionReturned", l -> l.connectionReturned(Duration.ofNanos(used)));
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
        try {
            bag.add(e);
        } catch (Throwable t) { // out of memory, say: the slot must not stay taken
            opener.released();
            closeRaw(e, CloseReason.POOL_CLOSED);
            throw t;
        }
        if (closing) {
            closeIfIdle(e); // close() began meanwhile: its sweep may have passed this one
        }
        if (listeners.any()) {
            listeners.fire("connectionOpened", l -> l.connectionOpened(took));
        }
    }

    /** Closes an entry that is idle now, if nobody else takes or removes it first (while closing). */
    void closeIfIdle(PoolEntry e) {
        if (e.cas(PoolEntry.IDLE, PoolEntry.REMOVED)) {
            removeEntry(e);
            closeRaw(e, CloseReason.POOL_CLOSED);
        }
    }

    /** Removes a claimed or reserved entry, closes it in the background and asks for a replacement if wanted. */
    void discard(PoolEntry e, CloseReason reason) {
        if (e.remove() == PoolEntry.REMOVED) {
            return; // removed already (the pool force-closed it under its borrower)
        }
        if (reason == CloseReason.BROKEN && e.evicted) {
            reason = CloseReason.EVICTED;
        }
        removeEntry(e); // also asks for a replacement if one is wanted
        if (reason == CloseReason.BROKEN) {
            counters.broken.increment();
        }
        CloseReason why = reason;
        closer.execute(() -> closeRaw(e, why)); // bounded: when the closer is behind, this thread closes it
    }

    /** Out of the bag, and its slot free at once, so a replacement can be asked for now. */
    void removeEntry(PoolEntry e) {
        counters.retire(e);
        bag.remove(e);
        opener.released();
    }

    /** Closes the physical connection; never throws (it is being thrown away). */
    void closeRaw(PoolEntry e, CloseReason reason) {
        try {
            e.raw.close();
        } catch (Throwable ignored) {
            // a failing close changes nothing: the pool has let go of it
        }
        counters.closed.increment();
        if (listeners.any()) {
            listeners.fire("connectionClosed", l -> l.connectionClosed(reason));
        }
    }

    /**
     * Closes discarded connections on one background thread. Its queue holds at most maxSize closes (at
     * least 16): when the driver's close hangs, the thread that discards the next connection closes it
     * itself, so a hung close cannot pile up physical connections without bound.
     */
    private static ThreadPoolExecutor closerExecutor(String name, int maxSize) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(Math.max(16, maxSize)),
                threads(name + "-closer"), (task, executor) -> task.run());
    }

    /** More connections are wanted: below minSize, borrowers are waiting, or the pool is starting. */
    boolean wantsConnections() {
        return !closing && (total() < minSize || wanted.get() > 0 || (starting && total() == 0));
    }

    /**
     * How many more connections to ask for, given the open and opening ones ({@code slots}): the demand
     * of waiting borrowers not covered by connections being opened, or what is missing to minSize (to
     * one while the pool starts). The opener reconciles it after every released slot, waiter arrival and
     * housekeeping run, so no demand goes unnoticed (ConnectionOpener.reconcile).
     */
    int connectionsShort(int slots) {
        if (closing) {
            return 0;
        }
        int opening = Math.max(0, slots - total());
        int floor = starting ? Math.max(1, minSize) : minSize;
        return Math.max(floor - slots, wanted.get() - opening);
    }

    void connectFailed(SQLException error, int consecutive) {
        counters.connectFailures.increment();
        if (listeners.any()) {
            listeners.fire("connectFailed", l -> l.connectFailed(error, consecutive));
        }
    }

    void leakSuspected(PoolEntry e, long heldNanos) {
        counters.leaks.increment();
        e.leakReported = true;
        LOG.warn("{} - possible connection leak: a connection has been held for {} ms with no database activity "
                        + "for longer than leakDetectionThreshold ({} ms); it was borrowed here:", name,
                TimeUnit.NANOSECONDS.toMillis(heldNanos), config.leakDetectionThreshold().toMillis(), e.borrowSite);
        if (listeners.any()) {
            Throwable site = e.borrowSite;
            listeners.fire("leakSuspected", l -> l.leakSuspected(Duration.ofNanos(heldNanos), site));
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
        opener.reconcile(); // borrowers may be waiting for a larger pool
    }

    public void addListener(PoolListener listener) {
        listeners.add(listener);
    }

    public boolean removeListener(PoolListener listener) {
        return listeners.remove(listener);
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
                c.maxWaitNanos.get(), usage, c.connectNanos.sum(), c.commitsCommitted.sum(), c.commitsRolledBack.sum(),
                c.commitsUnresolved.sum());
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
        } else if (s.pending() == 0) { // nothing was being opened: no connect to blame
            ex = new PoolTimeoutException(name + " - no connection available after " + waitedMs + " ms: none was free "
                    + "and none was being opened; " + s.validationFailures() + " connection(s) failed validation so far ("
                    + counts() + "). Check the database's health, or raise connectionTimeout to leave time for a "
                    + "replacement", Reason.NONE_VALID, "08001", null);
        } else {
            ex = new PoolTimeoutException(name + " - no connection available after " + waitedMs + " ms: "
                    + s.pending() + " connection(s) being opened, none ready in time (" + counts()
                    + "). Opening connections takes longer than connectionTimeout allows",
                    Reason.SLOW_CONNECT, "08001", null);
        }
        if (listeners.any()) {
            listeners.fire("borrowTimedOut", l -> l.borrowTimedOut(ex));
        }
        return ex;
    }

    private PoolClosedException closedException() {
        return new PoolClosedException(name + " - the pool is closed");
    }

    // ---------------------------------------------------------------- closing

    /** See PoolShutdown; a second call returns once the first has completed. */
    public void close() {
        shutdown.run();
    }

    /** Step one of closing: nothing new is lent or opened from now on. */
    void markClosing() {
        closing = true;
        suspension.lock();
        try {
            resumed.signalAll(); // borrowers waiting on a suspended pool fail at once too
        } finally {
            suspension.unlock();
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

    PoolCounters counters() {
        return counters;
    }

    static ThreadFactory threads(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
