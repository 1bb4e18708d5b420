package io.etlpool;

import java.sql.SQLException;

/** Work on a connection that returns nothing and may throw {@link SQLException}. */
@FunctionalInterface
public interface SqlConsumer {
    /** Does the work on the given connection. */
    void accept(java.sql.Connection connection) throws SQLException;
}
