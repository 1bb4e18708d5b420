package io.etlpool;

/**
 * What the pool does to a returned connection's server session, beyond what it always does (statements
 * closed, an open transaction rolled back, JDBC settings such as auto-commit, read-only, isolation,
 * schema and network timeout restored, warnings cleared).
 *
 * <p>After {@link #RESET_ALL} or {@link #DISCARD_ALL} the pool applies its own session settings again
 * (transactionIsolation, schema, initSql), so the next borrower gets a connection as new.
 */
public enum ResetMode {
    /** Nothing more: a {@code SET} by one borrower is seen by the next ones. */
    NONE,
    /** {@code RESET ALL} on every return: session settings back to their defaults (one round trip). */
    RESET_ALL,
    /**
     * {@code DISCARD ALL} on every return: settings, prepared statements, temporary tables, LISTEN,
     * advisory locks, cursors, role (one round trip, and PgJDBC prepares its statements again).
     */
    DISCARD_ALL,
    /**
     * The default: only when the borrower changed session state the pool can see cheaply, in the SQL text
     * given to the pool's statements. A statement starting with {@code SET} or {@code RESET} leads to
     * {@code RESET ALL}; one starting with {@code PREPARE}, {@code LISTEN}, {@code CREATE TEMP},
     * {@code DECLARE}, {@code SET ROLE} or {@code SET SESSION AUTHORIZATION} to {@code DISCARD ALL}, and so
     * does a {@code SELECT} whose first item is {@code set_config(...)} to {@code RESET ALL}; any other
     * return costs nothing. Not seen: {@code set_config} further into a statement, state changed inside a
     * function, or SQL that does not start with the keyword (a leading comment); use RESET_ALL or
     * DISCARD_ALL for that.
     */
    AUTO
}
