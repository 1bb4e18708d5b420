package io.etlpool.spring;

import io.etlpool.EtlPoolDataSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration metadata (IDE completion) names every setting EtlPoolDataSource can bind. */
class ConfigurationMetadataTest {

    /** Settings that take objects, not text: set in code, not in properties. */
    private static final Set<String> NOT_FROM_PROPERTIES = Set.of("data-source", "credentials-provider",
            "password-supplier", "log-writer", "login-timeout");

    @Test
    void everyBindableSetterHasAnEntryWithADescription() throws IOException {
        String json;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("metadata in the jar").isNotNull();
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("\"name\": \"spring\\.datasource\\.etlpool\\.([a-z-]+)\"").matcher(json);
        while (m.find()) {
            documented.add(m.group(1));
        }
        Set<String> settable = Arrays.stream(EtlPoolDataSource.class.getMethods())
                .filter(x -> x.getName().startsWith("set") && x.getParameterCount() == 1
                        && !Modifier.isStatic(x.getModifiers()))
                .map(Method::getName).map(ConfigurationMetadataTest::kebab)
                .filter(n -> !NOT_FROM_PROPERTIES.contains(n)).collect(Collectors.toCollection(TreeSet::new));
        assertThat(documented).isEqualTo(settable);
        assertThat(json).doesNotContain("\"description\": null");
        assertThat(json.split("\"description\"", -1)).hasSize(settable.size() + 2); // and the group's
    }

    private static String kebab(String setter) {
        return setter.substring(3).replaceAll("([a-z])([A-Z])", "$1-$2").replace("MBean", "mbean").toLowerCase();
    }
}
