package io.etlpool.etl;

/** How rows reach the target. */
public enum LoadMethod {
    /** PostgreSQL COPY through PgJDBC's CopyManager (the default; PostgreSQL only). */
    COPY,
    /** Batched INSERT statements ({@code executeBatch}); any JDBC database. */
    BATCH
}
