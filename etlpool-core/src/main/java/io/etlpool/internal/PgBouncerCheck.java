package io.etlpool.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * For {@code pgbouncer(PgBouncer.PREPARED_STATEMENTS)}: checks on a new connection that the PgBouncer in
 * front of the server tracks prepared statements. PgBouncer 1.21+ with {@code max_prepared_statements}
 * above 0 prepares a client's named statement on the server under a name of its own
 * ({@code PGBOUNCER_<n>}); an older one, or one with the setting at 0, passes PgJDBC's {@code S_<n>} on
 * unchanged, and the next client whose transaction lands on that server connection fails with 42P05.
 * A client cannot ask PgBouncer itself without an admin login, so the check looks at what the server
 * holds: a statement executed past PgJDBC's prepareThreshold, in one transaction (one server
 * connection), reading {@code pg_prepared_statements}.
 */
final class PgBouncerCheck {

    private static final Logger LOG = LoggerFactory.getLogger(PgBouncerCheck.class);
    private static final String PROBE = "SELECT name FROM pg_prepared_statements /* etlpool: pgbouncer check */";
    /** More executions than PgJDBC's default prepareThreshold (5). */
    private static final int EXECUTIONS = 6;
    static final String PGBOUNCER_PREFIX = "PGBOUNCER_";

    /** What the server's prepared statements say. */
    enum Verdict {
        /** Renamed by PgBouncer: prepared statements are tracked. */
        TRACKED,
        /** The driver's own names reached the server: not tracked (or no PgBouncer at all). */
        NOT_TRACKED,
        /** No named statement was made (prepareThreshold 0 or above the probe's executions): nothing to check. */
        NOTHING_NAMED
    }

    /** Thrown when PgBouncer does not track prepared statements: retrying cannot help. */
    static final class NotTrackedException extends SQLException {
        private static final long serialVersionUID = 1L;

        NotTrackedException(String message) {
            super(message, "08004");
        }
    }

    private PgBouncerCheck() {
    }

    static Verdict verdict(List<String> names) {
        if (names.isEmpty()) {
            return Verdict.NOTHING_NAMED;
        }
        return names.stream().anyMatch(n -> n.startsWith(PGBOUNCER_PREFIX)) ? Verdict.TRACKED : Verdict.NOT_TRACKED;
    }

    /**
     * Runs the probe on a new connection (in a transaction it rolls back; the connection's auto-commit is
     * restored).
     *
     * @throws NotTrackedException when the driver's statement names reach the server unchanged
     */
    static void verify(Connection c, String poolName) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        List<String> names = new ArrayList<>();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(PROBE)) {
            for (int i = 0; i < EXECUTIONS; i++) {
                names.clear();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
        Verdict v = verdict(names);
        if (v == Verdict.NOT_TRACKED) {
            throw new NotTrackedException("pgbouncer(PgBouncer.PREPARED_STATEMENTS) is set, but the server"
                    + " holds the driver's own statement names " + names + ", not PgBouncer's (" + PGBOUNCER_PREFIX
                    + "n): the PgBouncer in front of it does not track prepared statements (it is older than 1.21,"
                    + " or max_prepared_statements is 0), or there is no PgBouncer. Set max_prepared_statements"
                    + " (e.g. 200) in pgbouncer.ini, or use pgbouncer(true), which makes the driver use no named"
                    + " statements");
        }
        if (v == Verdict.NOTHING_NAMED) {
            LOG.info("{} - pgbouncer(PgBouncer.PREPARED_STATEMENTS) not checked: the driver made no named statement"
                    + " within {} executions (prepareThreshold is 0 or above that)", poolName, EXECUTIONS);
        } else {
            LOG.debug("{} - PgBouncer tracks prepared statements ({})", poolName, names);
        }
    }
}
