package io.etlpool.etl.internal;

import io.etlpool.etl.EtlException;
import io.etlpool.etl.EtlJob;
import io.etlpool.etl.JobStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code status} and {@code reset} of a job: what {@code etlpool status} and {@code etlpool reset} do. */
public final class JobAdmin {

    private JobAdmin() {
    }

    public static JobStatus status(EtlJob job) throws SQLException {
        List<JobStatus.Checkpoint> parts = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        JobStatus.Increment increment;
        try (Connection c = job.targetPool().getConnection()) {
            c.setAutoCommit(true);
            Checkpoints.createIfMissing(c, job); // also brings an older table up to date, so the query below works
            String definition = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT part, key_type, range_lo, range_hi, last_key, "
                    + "rows_done, done, chunk_seq, updated_at, job_definition FROM " + Checkpoints.table(job)
                    + " WHERE job = ? ORDER BY part")) {
                ps.setString(1, job.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        boolean bounded = rs.getString(2) != null;
                        Timestamp at = rs.getTimestamp(9);
                        parts.add(new JobStatus.Checkpoint(rs.getInt(1), bounded ? "[" + rs.getString(3) + ", "
                                + rs.getString(4) + ")" : "all rows", rs.getString(5), rs.getLong(6), rs.getBoolean(7),
                                rs.getLong(8), at == null ? null : at.toInstant()));
                        definition = rs.getString(10) == null ? "" : rs.getString(10);
                    }
                }
            }
            if (definition != null) {
                if (definition.isEmpty()) {
                    changes.add("the checkpoints were written by an older etlpool that did not record the job");
                } else {
                    changes.addAll(JobIdentity.of(job).changesFrom(definition));
                }
            }
            increment = increment(c, job);
        }
        return new JobStatus(job.name(), List.copyOf(parts), List.copyOf(changes),
                RunLease.holder(job), increment);
    }

    public static int reset(EtlJob job) throws SQLException {
        try (PoolReserve room = PoolReserve.take(job, job.targetPool()); RunLease held = lease(job);
             Connection c = job.targetPool().getConnection()) {
            c.setAutoCommit(true);
            Checkpoints.createIfMissing(c, job);
            IncrementTable.delete(c, job); // the watermark too: the next run loads from the first row
            return Checkpoints.delete(c, job);
        }
    }

    /** An incremental job's watermark and last increment, when it has one. */
    private static JobStatus.Increment increment(Connection c, EtlJob job) throws SQLException {
        if (job.incremental() == null || !TableCreator.exists(c, Checkpoints.written(job, IncrementTable.TABLE))) {
            return null;
        }
        IncrementTable.Row r = IncrementTable.read(c, job, false);
        if (r == null) {
            return null;
        }
        return new JobStatus.Increment(job.incremental().cursor(), text(r.type, r.watermark), r.number,
                text(r.type, r.readFrom), text(r.type, r.readTo), r.done,
                r.startedAt == null ? null : r.startedAt.toInstant(), r.finishedAt == null ? null : r.finishedAt.toInstant(),
                r.note);
    }

    private static String text(KeyType type, Object value) {
        return value == null ? null : type.format(value);
    }

    /** The job's lease, so that no run moves the checkpoints while they are removed. */
    private static RunLease lease(EtlJob job) throws SQLException {
        try {
            return RunLease.acquire(job, Duration.ZERO);
        } catch (EtlException e) {
            throw new EtlException("job '" + job.name() + "' cannot be reset now: " + e.getMessage().replaceFirst(
                    "^job '[^']*' is already running: ", "a run holds its lease, ").replaceFirst("\\. Two runs.*$", "")
                    + ". Reset it once that run has ended", null);
        }
    }
}
