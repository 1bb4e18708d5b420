package io.etlpool.etl.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;

/**
 * What a PostgreSQL source is doing, for a late-commit bound: its clock, then the oldest transaction in
 * progress in its database (every session but this one, reading ones too: a transaction that has only read
 * so far may still write, with its old start time), and prepared transactions, which may commit rows of any
 * earlier time and show no start. The clock is read first, in a statement of its own, so that a transaction
 * the second statement misses started after the clock was read.
 *
 * <p>Needs to see every session's {@code xact_start}: a superuser, a member of {@code pg_read_all_stats}, or
 * sessions of this user only; and {@code track_activities} on in them. Sessions without a user (autovacuum)
 * write no rows and are left out.
 */
final class SourceActivity {

    final OffsetDateTime clock;
    /** Start of the oldest transaction in progress, or null when none is. */
    final OffsetDateTime oldestStart;
    final int oldestPid;
    /** Why the transactions in progress cannot all be seen, or null. */
    final String unseen;
    /** A prepared transaction that holds the bound, described, or null. */
    final String prepared;

    private SourceActivity(OffsetDateTime clock, OffsetDateTime oldestStart, int oldestPid, String unseen,
                           String prepared) {
        this.clock = clock;
        this.oldestStart = oldestStart;
        this.oldestPid = oldestPid;
        this.unseen = unseen;
        this.prepared = prepared;
    }

    static SourceActivity read(Connection source) throws SQLException {
        try (Statement s = source.createStatement()) {
            OffsetDateTime clock;
            try (ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
                rs.next();
                clock = rs.getObject(1, OffsetDateTime.class);
            }
            OffsetDateTime oldest = null;
            int pid = 0;
            int hidden = 0;
            int untracked = 0;
            try (ResultSet rs = s.executeQuery("SELECT pid, xact_start, query = '<insufficient privilege>', "
                    + "state = 'disabled' FROM pg_stat_activity WHERE datid = (SELECT oid FROM pg_database WHERE "
                    + "datname = current_database()) AND pid <> pg_backend_pid() AND usesysid IS NOT NULL AND usesysid <> 0 "
                    + "AND backend_type IS DISTINCT FROM 'autovacuum worker'")) {
                while (rs.next()) {
                    OffsetDateTime start = rs.getObject(2, OffsetDateTime.class);
                    if (rs.getBoolean(3)) {
                        hidden++;
                    } else if (rs.getBoolean(4)) {
                        untracked++;
                    } else if (start != null && (oldest == null || start.isBefore(oldest))) {
                        oldest = start;
                        pid = rs.getInt(1);
                    }
                }
            }
            String unseen = hidden > 0 ? "pg_stat_activity hides when the transactions of " + hidden + " session(s) "
                    + "of other users started from this user (GRANT pg_read_all_stats TO it lets etlpool see them)"
                    : untracked > 0 ? untracked + " session(s) run with track_activities off, so their transactions' "
                    + "start is not shown" : null;
            String prepared = null;
            try (ResultSet rs = s.executeQuery("SELECT gid, prepared FROM pg_prepared_xacts WHERE database = "
                    + "current_database() ORDER BY prepared LIMIT 1")) {
                if (rs.next()) {
                    prepared = "held back by the prepared transaction '" + rs.getString(1) + "' (prepared at "
                            + rs.getObject(2, OffsetDateTime.class) + "), which may still commit rows of any earlier "
                            + "cursor value";
                }
            }
            return new SourceActivity(clock, oldest, pid, unseen, prepared);
        }
    }
}
