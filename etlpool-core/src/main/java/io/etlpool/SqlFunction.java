package io.etlpool;

import java.sql.SQLException;

/**
 * Work on a connection that returns a value and may throw {@link SQLException}.
 *
 * @param <T> what the work returns
 */
@FunctionalInterface
public interface SqlFunction<T> {
    /** Does the work on the given connection and returns its result. */
    T apply(java.sql.Connection connection) throws SQLException;
}
