package io.etlpool.internal;

import io.etlpool.EtlPoolMXBean;
import io.etlpool.PoolStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MalformedObjectNameException;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanServer;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;
import javax.management.StandardEmitterMBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pool's MBean, {@code io.etlpool:type=Pool,name=<name>}: no automatic id, so tools find a pool by its
 * name; a second open pool with the same name is refused. Besides monitoring, it is the
 * contract the test fixtures (etlpool-testing) use to find pools left open, and the notification
 * {@value #FORCED_CLOSE} tells them a pool had to close borrowed connections.
 */
final class JmxRegistration {

    static final String FORCED_CLOSE = "io.etlpool.pool.forcedClose";
    private static final Logger LOG = LoggerFactory.getLogger(JmxRegistration.class);

    private final ObjectName objectName;
    private final NotificationBroadcasterSupport emitter;
    private final AtomicLong sequence = new AtomicLong();

    private JmxRegistration(ObjectName objectName, NotificationBroadcasterSupport emitter) {
        this.objectName = objectName;
        this.emitter = emitter;
    }

    /** The pool's ObjectName; its name quoted only when an ObjectName value may not hold it as it is. */
    static ObjectName objectName(String poolName) throws MalformedObjectNameException {
        boolean plain = !poolName.isEmpty() && poolName.chars().noneMatch(c -> ",=:\"*?\n\\".indexOf(c) >= 0);
        return new ObjectName("io.etlpool:type=Pool,name=" + (plain ? poolName : ObjectName.quote(poolName)));
    }

    /**
     * Registers the pool's MBean.
     *
     * @throws IllegalStateException when an MBean of that name is registered already (another open pool)
     */
    static JmxRegistration register(Pool pool) {
        ObjectName name;
        try {
            name = objectName(pool.name());
        } catch (MalformedObjectNameException e) {
            LOG.debug("{} - MBean not registered: {}", pool.name(), e.toString());
            return null;
        }
        try {
            NotificationBroadcasterSupport emitter = new NotificationBroadcasterSupport(new MBeanNotificationInfo(
                    new String[]{FORCED_CLOSE}, Notification.class.getName(), "borrowed connections force-closed"));
            StandardEmitterMBean bean = new StandardEmitterMBean(new View(pool), EtlPoolMXBean.class, true, emitter);
            ManagementFactory.getPlatformMBeanServer().registerMBean(bean, name);
            return new JmxRegistration(name, emitter);
        } catch (InstanceAlreadyExistsException e) {
            throw new IllegalStateException("pool name " + pool.name() + " is taken: another open pool registered the MBean "
                    + name + "; give each pool its own name, or registerMBean(false) for this one", e);
        } catch (JMException | RuntimeException e) {
            LOG.debug("{} - MBean not registered: {}", pool.name(), e.toString());
            return null;
        }
    }

    void forcedClose(int count, String message) {
        Notification n = new Notification(FORCED_CLOSE, objectName, sequence.incrementAndGet(), message);
        n.setUserData(count);
        emitter.sendNotification(n);
    }

    void unregister() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            if (server.isRegistered(objectName)) {
                server.unregisterMBean(objectName);
            }
        } catch (JMException e) {
            LOG.debug("MBean {} not unregistered: {}", objectName, e.toString());
        }
    }

    /** Reads live figures from the pool. */
    private static final class View implements EtlPoolMXBean {
        private final Pool pool;

        View(Pool pool) {
            this.pool = pool;
        }

        @Override
        public String getPoolName() {
            return pool.name();
        }

        @Override
        public int getTotalConnections() {
            return pool.stats().total();
        }

        @Override
        public int getActiveConnections() {
            return pool.stats().active();
        }

        @Override
        public int getIdleConnections() {
            return pool.stats().idle();
        }

        @Override
        public int getWaitingBorrowers() {
            return pool.stats().waiting();
        }

        @Override
        public int getMinSize() {
            return pool.stats().minSize();
        }

        @Override
        public int getMaxSize() {
            return pool.stats().maxSize();
        }

        @Override
        public long getBorrowCount() {
            PoolStats s = pool.stats();
            return s.borrows();
        }

        @Override
        public long getTimeoutCount() {
            return pool.stats().timeouts();
        }

        @Override
        public long getCommitsFoundCommitted() {
            return pool.stats().commitsFoundCommitted();
        }

        @Override
        public long getCommitsFoundRolledBack() {
            return pool.stats().commitsFoundRolledBack();
        }

        @Override
        public long getCommitsUnresolved() {
            return pool.stats().commitsUnresolved();
        }

        @Override
        public void setMinSize(int minSize) {
            pool.resize(minSize, pool.maxSize());
        }

        @Override
        public void setMaxSize(int maxSize) {
            pool.resize(pool.stats().minSize(), maxSize); // refuses a maxSize below minSize, as resize does
        }

        @Override
        public boolean isSuspended() {
            return pool.suspended();
        }

        @Override
        public void softEvictConnections() {
            pool.softEvict();
        }

        @Override
        public void suspend() {
            pool.suspend();
        }

        @Override
        public void resume() {
            pool.resume();
        }

        @Override
        public void resize(int minSize, int maxSize) {
            pool.resize(minSize, maxSize);
        }
    }
}
