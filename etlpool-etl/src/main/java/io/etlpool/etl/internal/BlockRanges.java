package io.etlpool.etl.internal;

import io.etlpool.etl.EtlException;
import io.etlpool.etl.EtlJob;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Partitions of a PostgreSQL table without a usable key: ranges of its heap blocks, read with TID range
 * scans ({@code WHERE ctid >= '(b,0)' AND ctid < '(e,0)'}, PostgreSQL 14+), chosen by
 * {@code partitionColumn("ctid")} on a source query {@code SELECT * FROM table}. The blocks come from the
 * table's size in the run's snapshot; the last range has no upper end, so blocks added since are read too.
 *
 * <p>A ctid is a row version's place, not its identity: an UPDATE writes the row again elsewhere, and
 * VACUUM FULL or CLUSTER moves every row. Within one snapshot each visible row has one ctid and the
 * order by ctid is fixed, so chunks end at a ctid and a retry in the run's snapshot resumes after it
 * exactly. A read in another snapshot (a new run resuming, or a retry after the snapshot was lost) is
 * exact only if no row moved since the plan was made: the plan records the table's file node and its
 * snapshot, and such a read first checks that the file node is the same and that no visible row
 * version was written by a transaction the plan's snapshot did not see. Otherwise it refuses before
 * loading anything (a moved row would be copied twice, or missed).
 */
final class BlockRanges {

    /** The partition column that asks for block ranges. */
    static final String CTID = "ctid";
    private static final Pattern WHOLE_TABLE = Pattern.compile(
            "(?is)\\s*select\\s+\\*\\s+from\\s+((?:\"(?:[^\"]|\"\")+\"|[\\p{L}_][\\p{L}\\p{N}_$]*)"
                    + "(?:\\s*\\.\\s*(?:\"(?:[^\"]|\"\")+\"|[\\p{L}_][\\p{L}\\p{N}_$]*))?)\\s*;?\\s*");
    /** Past the last block PostgreSQL can address: the open end of the last range. */
    private static final Tid END = new Tid(0xFFFF_FFFFL, 0xFFFF);

    private BlockRanges() {
    }

    /** A heap row version's place: block number and line pointer. */
    record Tid(long block, int offset) implements Comparable<Tid> {
        static Tid parse(String s) {
            String t = s.trim();
            int comma = t.indexOf(',');
            if (!t.startsWith("(") || !t.endsWith(")") || comma < 0) {
                throw new IllegalArgumentException("not a tid: " + s);
            }
            return new Tid(Long.parseLong(t.substring(1, comma).trim()),
                    Integer.parseInt(t.substring(comma + 1, t.length() - 1).trim()));
        }

        @Override
        public int compareTo(Tid o) {
            int c = Long.compare(block, o.block);
            return c != 0 ? c : Integer.compare(offset, o.offset);
        }

        /** The tid's text, as PostgreSQL writes it: {@code (block,offset)}. */
        @Override
        public String toString() {
            return "(" + block + "," + offset + ")";
        }
    }

    /** Whether the job is partitioned by block ranges. */
    static boolean applies(EtlJob job) {
        return job.partitionColumn() != null && job.partitionColumn().trim().toLowerCase(Locale.ROOT).equals(CTID);
    }

    /** The table the job reads, as SQL: the source query must be {@code SELECT * FROM table}. */
    static String table(EtlJob job) throws EtlException {
        Matcher m = WHOLE_TABLE.matcher(job.query());
        if (!m.matches()) {
            throw new EtlException("job '" + job.name() + "': partitionColumn ctid cuts one table into block ranges, so "
                    + "the source query must be SELECT * FROM that table (map or compute columns with columns); the "
                    + "query is: " + job.query());
        }
        return Sql.table(m.group(1).replaceAll("\\s*\\.\\s*", "."));
    }

    /**
     * The plan: the table's blocks (in the run's snapshot) cut into the job's number of ranges, each
     * partition carrying the table's state for {@link #checkUnchanged}.
     */
    static List<Partition> plan(EtlJob job, Connection source) throws SQLException {
        String table = table(job);
        if (!PartitionTask.Sessions.isPostgres(source)) {
            throw new EtlException("job '" + job.name() + "': partitionColumn ctid needs a PostgreSQL source");
        }
        int version = source.getMetaData().getDatabaseMajorVersion();
        if (version < 14) {
            throw new EtlException("job '" + job.name() + "': partitionColumn ctid reads block ranges with TID range "
                    + "scans, which need PostgreSQL 14 or later; the source is PostgreSQL " + version
                    + ". Choose a partition column, or leave partitionColumn out and ORDER BY a unique column");
        }
        long blocks;
        String state;
        try (PreparedStatement ps = source.prepareStatement("SELECT pg_relation_size(to_regclass(?)) / "
                + "current_setting('block_size')::int8, pg_relation_filenode(to_regclass(?))::text || ' ' "
                + "|| pg_current_snapshot()::text")) {
            ps.setString(1, table);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                blocks = rs.getLong(1);
                state = rs.getString(2);
            }
        }
        if (state == null) {
            throw new EtlException("job '" + job.name() + "': partitionColumn ctid needs a table with storage; "
                    + table + " is a view, a partitioned table or missing");
        }
        int n = (int) Math.max(1, Math.min(job.partitions(), blocks));
        List<Partition> plan = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Tid lo = new Tid(i == 0 ? 0 : blocks * i / n, 0);
            Tid hi = i == n - 1 ? END : new Tid(blocks * (i + 1) / n, 0);
            Partition p = new Partition(i, KeyType.CTID, lo, hi);
            p.sourceState = state;
            plan.add(p);
        }
        return plan;
    }

    /**
     * Refuses, before any row is read, when rows of the table may have moved since the plan's snapshot:
     * another file node (VACUUM FULL, CLUSTER, TRUNCATE, a rewrite), or a visible row version written by a
     * transaction that snapshot did not see (an UPDATE or INSERT since). Runs in the reading transaction.
     */
    static void checkUnchanged(EtlJob job, Connection source, String state) throws SQLException {
        String table = table(job);
        String again = " Reading by ctid in another snapshot could copy a moved row twice or miss it, so nothing was "
                + "loaded. Start over: mode truncate-insert with --restart (runFromScratch()), or empty the target and "
                + "restart; or choose a partition column.";
        if (state == null) {
            throw new EtlException("job '" + job.name() + "' cannot resume by ctid: its plan does not record the "
                    + "source table's state." + again);
        }
        int space = state.indexOf(' ');
        String filenode = state.substring(0, space);
        String snapshot = state.substring(space + 1);
        try (PreparedStatement ps = source.prepareStatement("WITH now AS (SELECT pg_snapshot_xmax(pg_current_snapshot())"
                + "::text::int8 AS next) SELECT pg_relation_filenode(to_regclass(?))::text, EXISTS (SELECT 1 FROM now, "
                + table + " src WHERE src.xmin::text::int8 >= 3 AND NOT pg_visible_in_snapshot((now.next - "
                // the row version's 32-bit xmin made a full transaction id, counting back from the next one
                + "((now.next % 4294967296 - src.xmin::text::int8 + 4294967296) % 4294967296))::text::xid8, "
                + "CAST(? AS pg_snapshot)))")) {
            ps.setString(1, table);
            ps.setString(2, snapshot);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!filenode.equals(rs.getString(1))) {
                    throw new EtlException("job '" + job.name() + "' cannot resume by ctid: " + table + " was rewritten "
                            + "since the job's plan was made (VACUUM FULL, CLUSTER, TRUNCATE or an ALTER TABLE that "
                            + "rewrites it), so its rows are in other places." + again);
                }
                if (rs.getBoolean(2)) {
                    throw new EtlException("job '" + job.name() + "' cannot resume by ctid: " + table + " has row "
                            + "versions written since the job's plan was made (an UPDATE writes a row to another "
                            + "place)." + again);
                }
            }
        }
    }

    /** A key as the driver binds it: a tid as a typed PostgreSQL value. */
    static Object bindable(Object key) throws SQLException {
        if (key instanceof Tid) {
            return ColumnCodec.textValue("tid", key.toString());
        }
        return key;
    }

    /** The SQL that reads the job's rows by ctid: the table itself, named src (a subquery has no ctid). */
    static String from(EtlJob job) throws EtlException {
        return table(job) + " src";
    }
}
