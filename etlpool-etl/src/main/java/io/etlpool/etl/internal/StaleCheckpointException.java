package io.etlpool.etl.internal;

import java.sql.SQLException;

/**
 * A chunk found its partition's checkpoint moved past the position it started from: another transaction
 * committed that chunk (a commit whose answer was lost, or a task of an earlier run still finishing). The
 * chunk is rolled back and the partition re-reads from the recorded checkpoint; nothing is loaded twice.
 */
final class StaleCheckpointException extends SQLException {

    private static final long serialVersionUID = 1L;

    StaleCheckpointException(String job, int partition, long expected, long found) {
        super("job " + job + " partition " + partition + ": the checkpoint moved on (chunk " + found
                + " committed, this chunk started after chunk " + expected + "); re-reading from it", "40001");
    }
}
