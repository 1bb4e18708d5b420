package io.etlpool.testing;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test class against a real PostgreSQL: each test gets a fresh database ({@link TestDatabase}
 * as a parameter) and fails if it leaves a pool open, a pool closed with borrowed connections, or a
 * session open on its database.
 *
 * <p>By default all such classes in a JVM share one server. Fault tests that stop, restart or fill the
 * server ask for a {@link #dedicatedServer() dedicated} one, started for the class alone.
 * Tests of one class must run one at a time (JUnit's default).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(PostgresExtension.class)
public @interface PostgresTest {

    /** A server for this class alone, so the class may stop, restart or fill it. */
    boolean dedicatedServer() default false;

    /** max_connections of a dedicated server. */
    int maxConnections() default 200;

    /** Extra settings of a dedicated server, each {@code name=value}. */
    String[] serverSettings() default {};
}
