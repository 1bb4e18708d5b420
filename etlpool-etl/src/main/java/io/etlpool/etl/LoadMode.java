package io.etlpool.etl;

/** What loading does with rows already in the target table. */
public enum LoadMode {
    /** Append. */
    INSERT,
    /** Empty the table when the job starts from scratch, then append (a resumed job does not empty it). */
    TRUNCATE_INSERT,
    /** Insert, or update the row with the same key ({@code ON CONFLICT (key) DO UPDATE}). */
    UPSERT
}
