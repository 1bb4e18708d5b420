package io.etlpool.testing;

import io.etlpool.embedded.EmbeddedPostgres;
import io.etlpool.testing.internal.PoolWatcher;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import javax.management.ObjectName;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The extension behind {@link PostgresTest}: a server per JVM (or per class when dedicated), a fresh
 * database per test, and a leak check after each test and after the class.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PostgresExtension.class);
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("classPools", PoolWatcher.instance().snapshot());
        PostgresTest settings = context.getRequiredTestClass().getAnnotation(PostgresTest.class);
        EmbeddedPostgres server = settings != null && settings.dedicatedServer()
                ? context.getStore(NS).getOrComputeIfAbsent("server", k -> new ServerResource(dedicated(settings)),
                        ServerResource.class).server
                : SharedServer.get();
        // a holder, not the server: JUnit closes AutoCloseable values of a store when the class ends
        context.getStore(NS).put("classServer", new ServerRef(server));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> leaks = PoolWatcher.instance().leaksSince(pools(context, "classPools"));
        if (!leaks.isEmpty()) {
            throw new AssertionError("Leak check after " + context.getDisplayName() + ": " + String.join("; ", leaks));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        EmbeddedPostgres server = server(context);
        if (!server.isRunning()) {
            server.start(); // a previous test of this class may have stopped it
        }
        String name = "t" + DATABASES.incrementAndGet() + "_" + context.getRequiredTestMethod().getName()
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        name = name.substring(0, Math.min(name.length(), 60));
        server.createDatabase(name);
        context.getStore(NS).put("database", new TestDatabase(server, name));
        PoolWatcher.instance().leaksSince(PoolWatcher.instance().snapshot()); // forget earlier events
        context.getStore(NS).put("testPools", PoolWatcher.instance().snapshot());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestDatabase db = context.getStore(NS).remove("database", TestDatabase.class);
        List<String> leaks = PoolWatcher.instance().leaksSince(pools(context, "testPools"));
        if (db == null) {
            return;
        }
        db.closeOwnConnections();
        EmbeddedPostgres server = db.server();
        if (!server.isRunning()) {
            server.start();
        }
        int sessions = settledBackendCount(db);
        server.dropDatabase(db.name());
        if (sessions > 0) {
            leaks.add(sessions + " session(s) still open on database " + db.name()
                    + " (a connection or a pool the test did not close)");
        }
        if (!leaks.isEmpty() && context.getExecutionException().isEmpty()) {
            throw new AssertionError("Leak check: " + String.join("; ", leaks));
        }
    }

    /**
     * A closed session leaves pg_stat_activity a moment after the client hangs up: give it a second.
     * (A leaked PgJDBC connection that nothing references any more may be closed meanwhile by the
     * driver's cleaner at a garbage collection; it is then no longer open, and not reported.)
     */
    private static int settledBackendCount(TestDatabase db) {
        int count = db.backendCount();
        for (int i = 0; i < 50 && count > 0; i++) {
            sleep(20);
            count = db.backendCount();
        }
        return count;
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        Class<?> type = p.getParameter().getType();
        return type == TestDatabase.class || type == EmbeddedPostgres.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        Class<?> type = p.getParameter().getType();
        if (type == EmbeddedPostgres.class) {
            return server(e);
        }
        TestDatabase db = e.getStore(NS).get("database", TestDatabase.class);
        if (db == null) {
            throw new ParameterResolutionException("a TestDatabase exists only inside a test method (and its "
                    + "@BeforeEach/@AfterEach); in @BeforeAll ask for the EmbeddedPostgres instead");
        }
        return db;
    }

    @SuppressWarnings("unchecked")
    private static Set<ObjectName> pools(ExtensionContext context, String key) {
        Set<ObjectName> snapshot = (Set<ObjectName>) context.getStore(NS).get(key, Set.class);
        return snapshot == null ? Set.of() : snapshot;
    }

    private static EmbeddedPostgres server(ExtensionContext context) {
        ServerRef ref = context.getStore(NS).get("classServer", ServerRef.class);
        if (ref == null) {
            throw new IllegalStateException("no server: is the class annotated with @PostgresTest?");
        }
        return ref.server;
    }

    private static EmbeddedPostgres dedicated(PostgresTest settings) {
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder().maxConnections(settings.maxConnections());
        for (String s : settings.serverSettings()) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("serverSettings entry '" + s + "' is not name=value");
            }
            b.setting(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
        }
        return b.start();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class ServerRef {
        final EmbeddedPostgres server;

        ServerRef(EmbeddedPostgres server) {
            this.server = server;
        }
    }

    /** The server all non-dedicated classes of this JVM share; its shutdown hook stops it at JVM exit. */
    private static final class SharedServer {
        private static EmbeddedPostgres server;

        static synchronized EmbeddedPostgres get() {
            if (server == null) {
                server = EmbeddedPostgres.builder().start();
            }
            return server;
        }
    }

    /** Closes the server when JUnit closes the store: after the class. */
    private static final class ServerResource implements ExtensionContext.Store.CloseableResource {
        final EmbeddedPostgres server;

        ServerResource(EmbeddedPostgres server) {
            this.server = server;
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
