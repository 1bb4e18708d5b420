package io.etlpool;

import io.etlpool.testing.stub.StubConnection;
import io.etlpool.testing.stub.StubDatabase;
import io.etlpool.testing.stub.StubDatabase.Call;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whatever the driver throws, RuntimeException and Error included, the pool releases or discards the connection. */
class DriverFailureTest {

    @Test
    void aRuntimeExceptionFromIsValidWhenBorrowingDiscardsTheConnection() throws Exception {
        assertIsValidFailureLosesNoSlot(new IllegalStateException("driver bug in isValid"));
    }

    @Test
    void anErrorFromIsValidWhenBorrowingDiscardsTheConnection() throws Exception {
        assertIsValidFailureLosesNoSlot(new AssertionError("driver assertion in isValid"));
    }

    private static void assertIsValidFailureLosesNoSlot(Throwable failure) throws Exception {
        StubDatabase db = new StubDatabase();
        try (EtlPool pool = TestPools.stub(db).maxSize(1).connectionTimeout(Duration.ofMillis(500))
                .validateAfterIdle(Duration.ZERO).build()) { // every borrow validates
            db.fail(Call.IS_VALID, failure);
            try (Connection c = pool.getConnection()) { // lent a new connection: the failed one was discarded
                db.heal();
                assertThat(c.isValid(1)).isTrue();
            }
            assertThat(pool.stats().validationFailures()).isEqualTo(1);
            assertThat(pool.stats().connectionsCreated()).isEqualTo(2);
            try (Connection c = pool.getConnection()) { // and the slot of the failed one was not lost
                assertThat(c.isValid(1)).isTrue();
            }
        }
    }

    @Test
    void aRuntimeExceptionFromIsValidInKeepaliveDiscardsTheConnection() throws Exception {
        StubDatabase db = new StubDatabase();
        try (EtlPool pool = TestPools.stub(db).minSize(1).maxSize(1).keepaliveInterval(Duration.ofMillis(100))
                .validateAfterIdle(Duration.ofMinutes(1)).build()) {
            db.fail(Call.IS_VALID, new IllegalStateException("driver bug in isValid"));
            // a connection stuck RESERVED would never be replaced
            TestPools.eventually(Duration.ofSeconds(5), "the connection replaced", () -> db.connectAttempts() >= 2);
            db.heal();
            try (Connection c = pool.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
        }
    }

    @Test
    void anErrorFromRollbackOnReturnDiscardsTheConnection() throws Exception {
        StubDatabase db = new StubDatabase();
        try (EtlPool pool = TestPools.stub(db).maxSize(1).connectionTimeout(Duration.ofMillis(500)).build()) {
            Connection c = pool.getConnection();
            c.setAutoCommit(false);
            db.fail(Call.ROLLBACK, new AssertionError("driver assertion in rollback"));
            assertThatThrownBy(c::close).isInstanceOf(AssertionError.class);
            db.heal();
            try (Connection again = pool.getConnection()) {
                assertThat(again.getAutoCommit()).isTrue();
            }
            assertThat(pool.stats().connectionsCreated()).isEqualTo(2);
        }
    }

    @Test
    void anErrorFromTheDriversCloseChangesNothing() throws Exception {
        StubDatabase db = new StubDatabase();
        db.fail(Call.CLOSE, new AssertionError("driver assertion in close"));
        EtlPool pool = TestPools.stub(db).minSize(2).maxSize(2).connectionTimeout(Duration.ofMillis(500)).build();
        Connection c = pool.getConnection();
        pool.evict(c);
        try (Connection again = pool.getConnection()) {
            assertThat(again.isClosed()).isFalse();
        }
        pool.close();
        assertThat(pool.stats().total()).isZero();
        assertThat(pool.stats().connectionsClosed()).isEqualTo(pool.stats().connectionsCreated());
    }

    @Test
    void anErrorFromConnectIsAFailedConnectRetriedWithBackoff() {
        StubDatabase db = new StubDatabase();
        db.fail(Call.CONNECT, new AssertionError("driver assertion in connect"));
        assertThatThrownBy(() -> TestPools.stub(db).initializationFailTimeout(Duration.ofMillis(600)).build())
                .isInstanceOf(PoolInitializationException.class).hasMessageContaining("driver assertion in connect");
        // retried, with the backoff (25 ms doubling): neither given up after one Error nor in a tight loop
        assertThat(db.connectAttempts()).isBetween(2, 30);
    }

    @Test
    void aZeroConnectionTimeoutStillLendsAConnectionThatNeedsValidation() throws Exception {
        StubDatabase db = new StubDatabase();
        try (EtlPool pool = TestPools.stub(db).maxSize(1).connectionTimeout(Duration.ZERO)
                .validateAfterIdle(Duration.ZERO).build()) {
            for (int i = 0; i < 3; i++) {
                try (Connection c = pool.getConnection()) {
                    assertThat(c.isValid(1)).isTrue();
                }
            }
            assertThat(pool.stats().timeouts()).isZero();
        }
    }

    @Test
    void aBorrowedConnectionWhoseServerWentAwayCanBeEvicted() throws Exception {
        StubDatabase db = new StubDatabase();
        try (EtlPool pool = TestPools.stub(db).minSize(1).maxSize(1).build()) {
            Connection c = pool.getConnection();
            List<StubConnection> open = db.openConnections();
            open.get(0).die();
            assertThatThrownBy(() -> c.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
            assertThat(c.isClosed()).isTrue();
            pool.evict(c);
            assertThat(c.isClosed()).isTrue();
            assertThatThrownBy(() -> pool.evict(c)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already given back");
            TestPools.eventually(Duration.ofSeconds(5), "the dead connection closed and replaced",
                    () -> open.get(0).closedByUser() && db.connectAttempts() == 2);
            try (Connection again = pool.getConnection()) {
                assertThat(again.isValid(1)).isTrue();
            }
        }
    }
}
