package io.etlpool;

import java.sql.SQLException;

/**
 * The connection was lost while a transaction was committing, and the pool could not find out whether it
 * committed: the work may or may not have taken effect, so it was not run again. SQLState 08007
 * (transaction resolution unknown); the connection error is the cause.
 *
 * <p>{@link #transactionId()} is the PostgreSQL transaction id recorded before COMMIT, when there is one:
 * {@code SELECT pg_xact_status('<id>'::xid8)} (PostgreSQL 13+, else {@code txid_status(<id>)}) tells
 * later whether it committed.
 */
public class CommitOutcomeUnknownException extends SQLException {

    private static final long serialVersionUID = 1L;

    /** SQLState 08007: transaction resolution unknown. */
    public static final String SQL_STATE = "08007";

    private final String transactionId;

    /** The error, with the id of the transaction whose outcome is unknown, and the connection loss. */
    public CommitOutcomeUnknownException(String message, String transactionId, Throwable cause) {
        super(message, SQL_STATE, cause);
        this.transactionId = transactionId;
    }

    /** The transaction's id as the server prints it (an xid8), or null when none could be recorded. */
    public String transactionId() {
        return transactionId;
    }
}
