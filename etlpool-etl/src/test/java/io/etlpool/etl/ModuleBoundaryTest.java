package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.embedded.EmbeddedPostgres;
import io.etlpool.testing.PostgresTest;
import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The jars this module is built against, as the module path sees them: etlpool-core is the module
 * {@code io.etlpool} and exports only its API package; the others have stable automatic module names.
 * (Checked here because the jars exist only after their own module's tests.)
 */
class ModuleBoundaryTest {

    @Test
    void coreIsTheModuleIoEtlpoolExportingOnlyItsApi() throws Exception {
        Path core = jarOf(EtlPool.class);
        ModuleDescriptor d = ModuleFinder.of(core).findAll().iterator().next().descriptor();
        assertThat(d.name()).isEqualTo("io.etlpool");
        assertThat(d.isAutomatic()).isFalse();
        assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .isEqualTo(Set.of("io.etlpool"));
        assertThat(d.packages()).contains("io.etlpool.internal");
        assertThat(d.opens()).isEmpty();
        // the core depends on the JDK and slf4j-api only: another library would have to be required here
        assertThat(d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
                .isEqualTo(Set.of("java.base", "java.sql", "java.management", "org.slf4j"));
    }

    @Test
    void theOtherPublishedJarsHaveStableModuleNames() throws Exception {
        assertThat(automaticModuleName(jarOf(EmbeddedPostgres.class))).isEqualTo("io.etlpool.embedded");
        assertThat(automaticModuleName(jarOf(PostgresTest.class))).isEqualTo("io.etlpool.testing");
    }

    private static String automaticModuleName(Path jar) throws Exception {
        try (JarFile f = new JarFile(jar.toFile())) {
            return f.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
        }
    }

    /** The jar a class was loaded from; skipped when it comes from a classes directory (no package phase yet). */
    private static Path jarOf(Class<?> type) throws URISyntaxException {
        Path p = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        assumeTrue(Files.isRegularFile(p), "skipped: " + type.getSimpleName() + " comes from " + p
                + ", not a jar (run mvn verify or install)");
        return p;
    }
}
