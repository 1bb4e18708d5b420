package io.etlpool;

/**
 * Whether the pool connects through PgBouncer in transaction pooling mode ({@code pool_mode =
 * transaction}), and whether that PgBouncer keeps track of prepared statements. See
 * {@link EtlPoolBuilder#pgbouncer(PgBouncer)}.
 *
 * <p>A client cannot ask PgBouncer for its version or settings without an admin login (its
 * {@code SHOW} commands run on the admin console), so the choice is the user's; with
 * {@link #PREPARED_STATEMENTS} the pool checks it on its first connection.
 */
public enum PgBouncer {
    /** Not through a transaction-pooling PgBouncer (directly to PostgreSQL, or PgBouncer in session mode). */
    NONE,
    /**
     * Transaction pooling, any PgBouncer version: PgJDBC uses no named server-side statements
     * ({@code prepareThreshold=0}), session state is not reset (resetOnReturn NONE). The same as
     * {@code pgbouncer(true)}.
     */
    TRANSACTION_POOLING,
    /**
     * Transaction pooling through PgBouncer 1.21 or later with {@code max_prepared_statements} above 0
     * (the default from 1.24 on): PgBouncer tracks protocol-level prepared statements and prepares them
     * on each server connection under its own names, so PgJDBC keeps its server-side statements
     * ({@code prepareThreshold} as configured). Session state is not reset (resetOnReturn NONE). The first
     * connection checks that PgBouncer renames a prepared statement (in {@code pg_prepared_statements} it
     * is {@code PGBOUNCER_n}, not PgJDBC's {@code S_n}); if it does not, the pool does not start and says
     * why.
     */
    PREPARED_STATEMENTS
}
