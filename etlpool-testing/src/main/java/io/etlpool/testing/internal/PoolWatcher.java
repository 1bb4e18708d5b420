package io.etlpool.testing.internal;

import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.MalformedObjectNameException;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Watches etlpool pools through JMX, so that the test fixtures need no compile-time tie to the pool
 * (the pool's own tests use these fixtures).
 *
 * <p>The contract with {@code etlpool-core}: every pool registers an MBean named
 * {@code io.etlpool:type=Pool,...} with the attributes {@code PoolName}, {@code ActiveConnections}
 * and {@code TotalConnections}; when {@code close()} had to force-close borrowed connections it emits
 * a notification of type {@value #FORCED_CLOSE} whose user data is that count; then it unregisters.
 */
public final class PoolWatcher {

    public static final String FORCED_CLOSE = "io.etlpool.pool.forcedClose";
    private static final ObjectName POOLS = pattern("io.etlpool:type=Pool,*");
    private static final PoolWatcher INSTANCE = new PoolWatcher();

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final List<String> problems = new ArrayList<>();
    private final NotificationListener onPoolEvent = this::poolEvent;

    private PoolWatcher() {
        try {
            server.addNotificationListener(MBeanServerDelegate.DELEGATE_NAME, this::registryEvent, null, null);
        } catch (InstanceNotFoundException e) {
            throw new IllegalStateException("the platform MBean server has no delegate", e);
        }
    }

    public static PoolWatcher instance() {
        return INSTANCE;
    }

    /** The pools registered now; {@link #leaksSince} compares against it. */
    public Set<ObjectName> snapshot() {
        return server.queryNames(POOLS, null);
    }

    /**
     * Pools registered since the snapshot and still open, and every pool closed with borrowed
     * connections since the last call.
     */
    public synchronized List<String> leaksSince(Set<ObjectName> snapshot) {
        List<String> found = new ArrayList<>(problems);
        problems.clear();
        Set<ObjectName> open = new LinkedHashSet<>(server.queryNames(POOLS, null));
        open.removeAll(snapshot);
        for (ObjectName pool : open) {
            found.add("pool '" + attribute(pool, "PoolName") + "' was not closed (total="
                    + attribute(pool, "TotalConnections") + ", active=" + attribute(pool, "ActiveConnections") + ")");
        }
        return found;
    }

    private void registryEvent(Notification n, Object handback) {
        if (n instanceof MBeanServerNotification
                && MBeanServerNotification.REGISTRATION_NOTIFICATION.equals(n.getType())) {
            ObjectName name = ((MBeanServerNotification) n).getMBeanName();
            if (POOLS.apply(name)) {
                try {
                    server.addNotificationListener(name, onPoolEvent, null, name);
                } catch (InstanceNotFoundException gone) {
                    // closed already
                }
            }
        }
    }

    private synchronized void poolEvent(Notification n, Object handback) {
        if (FORCED_CLOSE.equals(n.getType())) {
            problems.add("pool " + ((ObjectName) handback).getKeyProperty("name") + " was closed while "
                    + n.getUserData() + " connection(s) were still borrowed: " + n.getMessage());
        }
    }

    private Object attribute(ObjectName pool, String attribute) {
        try {
            return server.getAttribute(pool, attribute);
        } catch (Exception e) {
            return "?";
        }
    }

    private static ObjectName pattern(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
