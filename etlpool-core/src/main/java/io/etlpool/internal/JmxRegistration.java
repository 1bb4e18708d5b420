package io.etlpool.internal;

import io.etlpool.EtlPoolMXBean;
import io.etlpool.PoolStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.JMException;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanServer;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;
import javax.management.StandardEmitterMBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pool's MBean, {@code io.etlpool:type=Pool,name="<name>",id=<n>}. Besides monitoring, it is the
 * contract the test fixtures (etlpool-testing) use to find pools left open, and the notification
 * {@value #FORCED_CLOSE} tells them a pool had to close borrowed connections.
 */
final class JmxRegistration {

    static final String FORCED_CLOSE = "io.etlpool.pool.forcedClose";
    private static final Logger LOG = LoggerFactory.getLogger(JmxRegistration.class);
    private static final AtomicLong IDS = new AtomicLong();

    private final ObjectName objectName;
    private final NotificationBroadcasterSupport emitter;
    private final AtomicLong sequence = new AtomicLong();

    private JmxRegistration(ObjectName objectName, NotificationBroadcasterSupport emitter) {
        this.objectName = objectName;
        this.emitter = emitter;
    }

    static JmxRegistration register(Pool pool) {
        try {
            ObjectName name = new ObjectName("io.etlpool:type=Pool,name=" + ObjectName.quote(pool.name())
                    + ",id=" + IDS.incrementAndGet());
            NotificationBroadcasterSupport emitter = new NotificationBroadcasterSupport(new MBeanNotificationInfo(
                    new String[]{FORCED_CLOSE}, Notification.class.getName(), "borrowed connections force-closed"));
            StandardEmitterMBean bean = new StandardEmitterMBean(new View(pool), EtlPoolMXBean.class, true, emitter);
            ManagementFactory.getPlatformMBeanServer().registerMBean(bean, name);
            return new JmxRegistration(name, emitter);
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
    }
}
