package io.etlpool.internal;

import io.etlpool.PoolListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The pool's listeners, added and removed at any time. An event goes to each listener in turn, after
 * the state change it reports is complete; what a listener throws is caught and logged (a warning with
 * the listener's class and the exception the first time, at debug level after that) and never reaches
 * the pool or the borrower. With no listener, firing costs one volatile read and allocates nothing.
 */
final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger("io.etlpool.pool");
    private static final Registered[] NONE = new Registered[0];

    private final String poolName;
    private volatile Registered[] all = NONE;

    Listeners(String poolName, List<PoolListener> initial) {
        this.poolName = poolName;
        for (PoolListener l : initial) {
            add(l);
        }
    }

    /** Whether any listener is registered: callers build an event's arguments only then. */
    boolean any() {
        return all.length != 0;
    }

    synchronized void add(PoolListener listener) {
        Registered[] now = all;
        Registered[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = new Registered(listener);
        all = next;
    }

    /** Removes the listener (compared by identity); false if it was not registered. */
    synchronized boolean remove(PoolListener listener) {
        Registered[] now = all;
        for (int i = 0; i < now.length; i++) {
            if (now[i].listener == listener) {
                Registered[] next = new Registered[now.length - 1];
                System.arraycopy(now, 0, next, 0, i);
                System.arraycopy(now, i + 1, next, i, now.length - i - 1);
                all = next;
                return true;
            }
        }
        return false;
    }

    /** Calls every listener; never throws. */
    void fire(String event, Consumer<PoolListener> call) {
        for (Registered r : all) {
            try {
                call.accept(r.listener);
            } catch (Throwable t) {
                r.failed(poolName, event, t);
            }
        }
    }

    /** A listener and whether it was reported for throwing already. */
    private static final class Registered {
        final PoolListener listener;
        private final AtomicBoolean reported = new AtomicBoolean();

        Registered(PoolListener listener) {
            this.listener = listener;
        }

        void failed(String poolName, String event, Throwable t) {
            if (reported.compareAndSet(false, true)) {
                LOG.warn("{} - listener {} threw in {}; the pool carries on (later failures of this listener are "
                        + "logged at debug level)", poolName, listener.getClass().getName(), event, t);
            } else {
                LOG.debug("{} - listener {} threw in {}: {}", poolName, listener.getClass().getName(), event,
                        t.toString());
            }
        }
    }
}
