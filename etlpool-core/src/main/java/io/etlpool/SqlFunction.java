package io.etlpool;

import java.sql.SQLException;

/**
 * Work on a connection that returns a value and may throw {@link SQLException}.
 *
 * @param <T> what the work returns
 */
@FunctionalInterface
public interface SqlFunction<T> {
    T apply(java.sql.Connection connection) throws SQLException;
}
