package io.etlpool;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import javax.management.Attribute;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@PostgresTest
class JmxOperationsTest {

    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    @Test
    void thePoolIsFoundByAFixedNameWithoutAnId(TestDatabase db) throws Exception {
        try (EtlPool pool = TestPools.builder(db).name("jmx-fixed").build()) {
            ObjectName name = new ObjectName("io.etlpool:type=Pool,name=jmx-fixed");
            assertThat(SERVER.isRegistered(name)).isTrue();
            assertThat(SERVER.getAttribute(name, "PoolName")).isEqualTo("jmx-fixed");
            assertThat(SERVER.getAttribute(name, "TotalConnections")).isEqualTo(pool.stats().total());
        }
        assertThat(SERVER.isRegistered(new ObjectName("io.etlpool:type=Pool,name=jmx-fixed"))).isFalse();
    }

    @Test
    void aSecondOpenPoolWithTheSameNameIsRefused(TestDatabase db) throws Exception {
        try (EtlPool first = TestPools.builder(db).name("jmx-twice").build()) {
            assertThatThrownBy(() -> TestPools.builder(db).name("jmx-twice").build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("pool name jmx-twice is taken")
                    .hasMessageContaining("registerMBean(false)");
            assertThat(first.stats().total()).isPositive();
        }
        try (EtlPool again = TestPools.builder(db).name("jmx-twice").build()) { // free again once closed
            assertThat(again.name()).isEqualTo("jmx-twice");
        }
    }

    @Test
    void aNameWithSpecialCharactersIsQuoted(TestDatabase db) throws Exception {
        try (EtlPool ignored = TestPools.builder(db).name("a,b=c").build()) {
            assertThat(SERVER.isRegistered(new ObjectName("io.etlpool:type=Pool,name=" + ObjectName.quote("a,b=c")))).isTrue();
        }
    }

    @Test
    void suspendMakesBorrowersWaitUntilResume(TestDatabase db) throws Exception {
        try (EtlPool pool = TestPools.builder(db).name("jmx-suspend").connectionTimeout(Duration.ofSeconds(30)).build()) {
            EtlPoolMXBean bean = JMX.newMXBeanProxy(SERVER, new ObjectName("io.etlpool:type=Pool,name=jmx-suspend"),
                    EtlPoolMXBean.class);
            bean.suspend();
            assertThat(bean.isSuspended()).isTrue();
            CompletableFuture<Boolean> borrower = CompletableFuture.supplyAsync(() -> {
                try (Connection c = pool.getConnection()) {
                    return c.isValid(5);
                } catch (SQLException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(300);
            assertThat(borrower).isNotDone();
            bean.resume();
            assertThat(borrower.get(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aSuspendedPoolTimesOutBorrowersSayingWhy(TestDatabase db) throws Exception {
        try (EtlPool pool = TestPools.builder(db).name("jmx-suspend-timeout").connectionTimeout(Duration.ofMillis(300)).build()) {
            pool.suspend();
            assertThatThrownBy(pool::getConnection).isInstanceOf(PoolTimeoutException.class)
                    .hasMessageContaining("suspended")
                    .satisfies(e -> assertThat(((PoolTimeoutException) e).reason()).isEqualTo(PoolTimeoutException.Reason.SUSPENDED));
            pool.resume();
            try (Connection c = pool.getConnection()) {
                assertThat(c.isValid(5)).isTrue();
            }
        }
    }

    @Test
    void softEvictReplacesIdleConnectionsAndLentOnesOnReturn(TestDatabase db) throws Exception {
        try (EtlPool pool = TestPools.builder(db).name("jmx-evict").minSize(2).maxSize(4).build()) {
            TestPools.eventually(Duration.ofSeconds(20), "2 connections", () -> pool.stats().total() == 2);
            Connection lent = pool.getConnection();
            int lentPid = TestPools.backendPid(lent);
            SERVER.invoke(new ObjectName("io.etlpool:type=Pool,name=jmx-evict"), "softEvictConnections", null, null);
            assertThat(lent.isValid(5)).isTrue(); // a lent connection is not taken away
            lent.close();
            TestPools.eventually(Duration.ofSeconds(20), "both old connections closed",
                    () -> pool.stats().connectionsClosed() >= 2);
            try (Connection c = pool.getConnection()) {
                assertThat(TestPools.backendPid(c)).isNotEqualTo(lentPid);
            }
        }
    }

    @Test
    void sizesAreWritableAttributesAndResizeIsAnOperation(TestDatabase db) throws Exception {
        try (EtlPool pool = TestPools.builder(db).name("jmx-resize").build()) {
            ObjectName name = new ObjectName("io.etlpool:type=Pool,name=jmx-resize");
            SERVER.setAttribute(name, new Attribute("MaxSize", 6));
            assertThat(pool.stats().maxSize()).isEqualTo(6);
            SERVER.invoke(name, "resize", new Object[]{2, 3}, new String[]{"int", "int"});
            assertThat(pool.stats().minSize()).isEqualTo(2);
            assertThat(pool.stats().maxSize()).isEqualTo(3);
            SERVER.setAttribute(name, new Attribute("MinSize", 3));
            assertThat(SERVER.getAttribute(name, "MinSize")).isEqualTo(3);
        }
    }
}
