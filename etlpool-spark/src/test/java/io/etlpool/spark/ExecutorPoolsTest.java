package io.etlpool.spark;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One pool per spec in a JVM, shared by its leases, closed when the last one is given back. */
@PostgresTest
class ExecutorPoolsTest {

    @AfterEach
    void closePools() {
        ExecutorPools.shared().closeIdle();
    }

    @Test
    void leasesOfOneSpecShareOnePoolThatClosesWithTheLast(TestDatabase db) throws Exception {
        PoolSpec spec = new PoolSpec(db.jdbcUrl(), db.user(), db.password(), null, 2, 10_000, 0);
        int before = ExecutorPools.shared().openPools();
        try (ExecutorPools.Lease a = ExecutorPools.shared().borrow(spec)) {
            try (ExecutorPools.Lease b = ExecutorPools.shared().borrow(
                    new PoolSpec(db.jdbcUrl(), db.user(), db.password(), null, 2, 10_000, 0))) {
                assertThat(b.pool()).isSameAs(a.pool());
                try (Connection c = b.pool().getConnection()) {
                    assertThat(c.isValid(1)).isTrue();
                }
            }
            assertThat(a.pool().isClosed()).as("still leased by a").isFalse();
            assertThat(ExecutorPools.shared().openPools()).isEqualTo(before + 1);
            ExecutorPools.Lease other = ExecutorPools.shared().borrow(spec.withMaxSize(1));
            assertThat(other.pool()).isNotSameAs(a.pool());
            other.close();
            other.close(); // a second close gives nothing back twice
            assertThat(a.pool().isClosed()).isFalse();
        }
        assertThat(ExecutorPools.shared().openPools()).isEqualTo(before);
    }

    @Test
    void aPoolWithAnIdleTimeStaysForTheNextTaskAndClosesIdleOnRequest(TestDatabase db) throws Exception {
        PoolSpec spec = new PoolSpec(db.jdbcUrl(), db.user(), db.password(), null, 1, 10_000, 600_000);
        io.etlpool.EtlPool first;
        try (ExecutorPools.Lease a = ExecutorPools.shared().borrow(spec)) {
            first = a.pool();
        }
        try (ExecutorPools.Lease b = ExecutorPools.shared().borrow(spec)) {
            assertThat(b.pool()).isSameAs(first);
        }
        ExecutorPools.shared().closeIdle();
        assertThat(first.isClosed()).isTrue();
    }

    @Test
    void closeAllClosesLeasedPoolsAndTheNextLeaseGetsAFreshOne(TestDatabase db) throws Exception {
        PoolSpec spec = new PoolSpec(db.jdbcUrl(), db.user(), db.password(), null, 1, 10_000, 600_000);
        ExecutorPools.Lease idle = ExecutorPools.shared().borrow(spec.withMaxSize(2));
        idle.close(); // waits its 10 minutes
        ExecutorPools.Lease held = ExecutorPools.shared().borrow(spec);
        assertThat(ExecutorPools.shared().closeAll()).isEqualTo(2);
        assertThat(idle.pool().isClosed()).isTrue();
        assertThat(held.pool().isClosed()).as("closed although still leased").isTrue();
        assertThat(ExecutorPools.shared().openPools()).isZero();
        try (ExecutorPools.Lease next = ExecutorPools.shared().borrow(spec)) {
            assertThat(next.pool()).isNotSameAs(held.pool());
            held.close(); // the old lease gives nothing back to the new pool
            try (Connection c = next.pool().getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
            assertThat(next.pool().isClosed()).isFalse();
        }
        ExecutorPools.shared().closeIdle();
        assertThat(ExecutorPools.shared().openPools()).isZero();
    }

    @Test
    void aCredentialsProviderThatIsNoneIsRefusedClearly(TestDatabase db) {
        PoolSpec spec = new PoolSpec(db.jdbcUrl(), null, null, "java.lang.String", 1, 10_000, 0);
        assertThatThrownBy(() -> ExecutorPools.shared().borrow(spec))
                .hasMessageContaining("credentialsProvider java.lang.String could not be created")
                .hasMessageContaining("must implement io.etlpool.CredentialsProvider");
        assertThat(ExecutorPools.shared().openPools()).isZero();
    }

    @Test
    void specsDifferingOnlyInThePasswordAreDifferentPoolsAndPrintNoPassword(TestDatabase db) {
        PoolSpec a = new PoolSpec(db.jdbcUrl(), db.user(), "one-secret", null, 2, 10_000, 0);
        PoolSpec b = new PoolSpec(db.jdbcUrl(), db.user(), "two-secret", null, 2, 10_000, 0);
        assertThat(a).isNotEqualTo(b);
        assertThat(a.toString()).doesNotContain("one-secret");
        PoolSpec inUrl = new PoolSpec(db.jdbcUrl() + "?password=url-secret", db.user(), null, null, 2, 10_000, 0);
        assertThat(inUrl.toString()).doesNotContain("url-secret");
    }
}
