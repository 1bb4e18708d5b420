/**
 * etlpool's connection pool. Only {@code io.etlpool} is API; {@code io.etlpool.internal} is not exported
 * and may change in any release.
 */
module io.etlpool {
    requires transitive java.sql;
    requires java.management;
    requires org.slf4j;

    exports io.etlpool;
}
