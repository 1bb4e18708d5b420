package io.etlpool.cli;

import io.etlpool.EtlPool;
import io.etlpool.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.Console;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code etlpool check}: can we connect, what are the server's limits, what pool size fits. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check connectivity and login, show the server's limits and suggest a pool size. "
                + "The password comes from PGPASSWORD, or a prompt on a terminal.")
final class CheckCommand implements Callable<Integer> {

    @Option(names = "--url", required = true, description = "JDBC URL, e.g. jdbc:postgresql://localhost:5432/shop")
    String url;

    @Option(names = "--user", description = "user name")
    String user;

    @Override
    public Integer call() {
        if (!url.startsWith("jdbc:")) {
            // the URL is not repeated: it may hold a password
            System.err.println("etlpool: --url must be a JDBC URL, starting with jdbc:, e.g. "
                    + "jdbc:postgresql://localhost:5432/shop");
            return Main.USAGE;
        }
        String password = System.getenv("PGPASSWORD");
        Console console = System.console();
        if (password == null && console != null) {
            char[] typed = console.readPassword("Password for %s: ", user == null ? "(default user)" : user);
            password = typed == null ? null : new String(typed);
        }
        try (EtlPool pool = EtlPool.builder().name("check").jdbcUrl(url).username(user).password(password)
                .minSize(0).maxSize(1).initializationFailTimeout(Duration.ZERO).registerMBean(false).build()) {
            Row server = pool.query("SELECT version() AS version, current_user AS who, "
                    + "current_setting('max_connections')::int AS max, "
                    + "current_setting('superuser_reserved_connections')::int AS reserved, "
                    + "(SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') AS used").get(0);
            int max = server.getInt("max");
            int reserved = server.getInt("reserved");
            long used = server.getLong("used");
            long free = Math.max(0, max - reserved - used);
            int cores = Runtime.getRuntime().availableProcessors();
            long suggested = Math.max(1, Math.min(2L * cores + 1, free / 2));
            System.out.println("OK: connected to " + pool.config().jdbcUrl() + " as " + server.getString("who"));
            Summary.row(System.out, "server", server.getString("version"));
            Summary.row(System.out, "max_connections", max + " (" + reserved + " reserved for superusers)");
            Summary.row(System.out, "connections in use", used + ", so " + free + " free");
            Summary.row(System.out, "suggested maxSize", suggested + " per pool on this machine");
            System.out.println("  why: beyond about 2 connections per core (" + cores + " cores here) plus one, "
                    + "more connections add contention, not throughput; and a pool should leave at least half of the "
                    + "server's free slots (" + free + ") to other clients.");
            return Main.OK;
        } catch (SQLException e) {
            System.err.println("etlpool: check failed: " + e.getMessage());
            if ("28P01".equals(e.getSQLState()) && password == null) {
                System.err.println("No password was given: set PGPASSWORD (or run on a terminal to be asked).");
            }
            return Main.FAILED;
        }
    }
}
