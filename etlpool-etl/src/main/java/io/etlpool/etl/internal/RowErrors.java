package io.etlpool.etl.internal;

import io.etlpool.SqlErrors;

import java.sql.SQLException;

/**
 * Which errors are about a row, and so may send the row to the reject table: data exceptions (SQLState
 * class 22: a value out of range, malformed, too long) and integrity violations (class 23: NOT NULL,
 * CHECK, unique, foreign key). Anything else (a missing table 42P01, an upsert key without a unique index
 * 42P10, a permission error 42501, a type mismatch 42804) is about the job's setup: it would refuse every
 * row, so the job stops with that error instead of rejecting them all.
 */
final class RowErrors {

    private RowErrors() {
    }

    static boolean isRowError(SQLException e) {
        String state = SqlErrors.sqlState(e);
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }
}
