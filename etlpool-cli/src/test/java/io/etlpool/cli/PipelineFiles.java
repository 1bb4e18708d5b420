package io.etlpool.cli;

import io.etlpool.testing.TestDatabase;

import java.util.Map;

/** The pipeline files of the CLI tests: from the test's database into a warehouse database beside it. */
final class PipelineFiles {

    private PipelineFiles() {
    }

    /**
     * A pipeline file's top, up to and including {@code streams:}: the test database as source, the
     * warehouse as target (tables created), the password from the environment's PW.
     */
    static String top(TestDatabase db, String name, String extraTarget, int maxConnections) {
        return String.join("\n",
                "name: " + name,
                "source:",
                "  url: " + db.jdbcUrl(),
                "  user: " + db.user(),
                "  password: ${PW}",
                "target:",
                "  url: " + db.server().jdbcUrl(warehouse(db)),
                "  user: " + db.user(),
                "  password: ${PW}",
                "  createTable: true",
                extraTarget,
                "maxConnections: " + maxConnections,
                "chunkSize: 500",
                "streams:",
                "");
    }

    static String warehouse(TestDatabase db) {
        return db.name() + "_wh";
    }

    static Map<String, String> env(TestDatabase db) {
        return Map.of("PW", db.password());
    }
}
