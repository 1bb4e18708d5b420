package io.etlpool.etl;

/** What loading does with rows already in the target table. */
public enum LoadMode {
    /** Append. */
    INSERT,
    /** Empty the table when the job starts from scratch, then append (a resumed job does not empty it). */
    TRUNCATE_INSERT,
    /** Insert, or update the row with the same key ({@code ON CONFLICT (key) DO UPDATE}). */
    UPSERT,
    /**
     * Load every row again on every run: as TRUNCATE_INSERT, and a run that finds the previous load finished
     * starts a new one (empties the table in the transaction that stores the new plan) instead of doing
     * nothing. An interrupted load resumes. Readers see the table empty, then filling, during a load.
     */
    FULL_REFRESH
}
