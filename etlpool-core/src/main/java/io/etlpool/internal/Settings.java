package io.etlpool.internal;

import io.etlpool.EtlPoolBuilder;
import io.etlpool.PgBouncer;
import io.etlpool.ResetMode;
import io.etlpool.Suggestions;

import java.sql.Connection;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The builder's settings by name, for configuration from Properties, files and the environment. A key
 * is matched ignoring case, dashes, underscores and dots ({@code maxSize}, {@code max-size},
 * {@code MAX_SIZE}); {@code property.<name>} sets a driver property. Values are parsed here; the builder
 * validates them as it validates its own calls. A value is never put in a message when it may be secret.
 */
public final class Settings {

    /** Driver properties: {@code property.reWriteBatchedInserts=true}. */
    public static final String DRIVER_PROPERTY_PREFIX = "property.";

    private static final Map<String, BiConsumer<EtlPoolBuilder, String>> SETTERS = new LinkedHashMap<>();
    private static final Map<String, String> BY_NORMAL = new LinkedHashMap<>();
    private static final Pattern SHORT_DURATION = Pattern.compile("(-?\\d+)\\s*(ms|s|m|h|d)?");

    static {
        text("name", EtlPoolBuilder::name);
        text("poolName", EtlPoolBuilder::name);
        text("jdbcUrl", EtlPoolBuilder::jdbcUrl);
        text("url", EtlPoolBuilder::jdbcUrl);
        text("username", EtlPoolBuilder::username);
        text("password", EtlPoolBuilder::password);
        text("driverClassName", EtlPoolBuilder::driverClassName);
        number("minSize", EtlPoolBuilder::minSize);
        number("maxSize", EtlPoolBuilder::maxSize);
        number("maxWaiting", EtlPoolBuilder::maxWaiting);
        number("transactionAttempts", EtlPoolBuilder::transactionAttempts);
        duration("connectionTimeout", EtlPoolBuilder::connectionTimeout);
        duration("idleTimeout", EtlPoolBuilder::idleTimeout);
        duration("maxLifetime", EtlPoolBuilder::maxLifetime);
        duration("keepaliveInterval", EtlPoolBuilder::keepaliveInterval);
        duration("validationTimeout", EtlPoolBuilder::validationTimeout);
        duration("validateAfterIdle", EtlPoolBuilder::validateAfterIdle);
        duration("initializationFailTimeout", EtlPoolBuilder::initializationFailTimeout);
        duration("leakDetectionThreshold", EtlPoolBuilder::leakDetectionThreshold);
        duration("closeGracePeriod", EtlPoolBuilder::closeGracePeriod);
        duration("retryBackoff", EtlPoolBuilder::retryBackoff);
        text("initSql", EtlPoolBuilder::initSql);
        text("schema", EtlPoolBuilder::schema);
        flag("autoCommit", EtlPoolBuilder::autoCommit);
        flag("readOnly", EtlPoolBuilder::readOnly);
        flag("resolveCommitOutcome", EtlPoolBuilder::resolveCommitOutcome);
        flag("registerMBean", EtlPoolBuilder::registerMBean);
        SETTERS.put("pgbouncer", (b, v) -> b.pgbouncer(pgbouncer(v)));
        SETTERS.put("resetOnReturn", (b, v) -> b.resetOnReturn(resetMode(v)));
        SETTERS.put("transactionIsolation", (b, v) -> b.transactionIsolation(isolation(v)));
        for (String name : SETTERS.keySet()) {
            BY_NORMAL.put(normal(name), name);
        }
    }

    private Settings() {
    }

    /** The setting names, as the builder's methods spell them. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(SETTERS.keySet());
    }

    /**
     * Applies one setting.
     *
     * @param origin where the key came from, for messages (e.g. "the properties", "shop.properties", "the environment")
     * @throws IllegalArgumentException for an unknown key (with the closest name) or a value that does not parse
     */
    public static void apply(EtlPoolBuilder builder, String key, String value, String origin) {
        if (key.regionMatches(true, 0, DRIVER_PROPERTY_PREFIX, 0, DRIVER_PROPERTY_PREFIX.length())
                && key.length() > DRIVER_PROPERTY_PREFIX.length()) {
            builder.property(key.substring(DRIVER_PROPERTY_PREFIX.length()), value);
            return;
        }
        String name = BY_NORMAL.get(normal(key));
        if (name == null) {
            throw new IllegalArgumentException("unknown setting " + key + " in " + origin + closest(key)
                    + "; the settings are " + String.join(", ", SETTERS.keySet())
                    + ", and " + DRIVER_PROPERTY_PREFIX + "<name> for a driver property");
        }
        SETTERS.get(name).accept(builder, value.trim());
    }

    /** Parses {@code 30s}, {@code 500ms}, {@code 10m}, {@code 2h}, {@code 1d}, ISO-8601 ({@code PT30S}) or plain milliseconds. */
    public static Duration duration(String setting, String value) {
        String v = value.trim();
        Matcher m = SHORT_DURATION.matcher(v.toLowerCase(Locale.ROOT));
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "ms" : m.group(2);
                switch (unit) {
                    case "s":
                        return Duration.ofSeconds(n);
                    case "m":
                        return Duration.ofMinutes(n);
                    case "h":
                        return Duration.ofHours(n);
                    case "d":
                        return Duration.ofDays(n);
                    default:
                        return Duration.ofMillis(n);
                }
            }
            return Duration.parse(v);
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(setting + " (" + value + ") is not a duration: write e.g. 30s, 500ms, 10m,"
                    + " PT30S, or a number of milliseconds");
        }
    }

    private static void text(String name, BiConsumer<EtlPoolBuilder, String> setter) {
        SETTERS.put(name, (b, v) -> setter.accept(b, v.isEmpty() ? null : v));
    }

    private interface IntSetter {
        void set(EtlPoolBuilder b, int value);
    }

    private static void number(String name, IntSetter setter) {
        SETTERS.put(name, (b, v) -> {
            try {
                setter.set(b, Integer.parseInt(v));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " (" + v + ") is not a whole number");
            }
        });
    }

    private static void duration(String name, BiConsumer<EtlPoolBuilder, Duration> setter) {
        SETTERS.put(name, (b, v) -> setter.accept(b, duration(name, v)));
    }

    private static void flag(String name, BiConsumer<EtlPoolBuilder, Boolean> setter) {
        SETTERS.put(name, (b, v) -> {
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(name + " (" + v + ") must be true or false");
            }
            setter.accept(b, Boolean.parseBoolean(v));
        });
    }

    /** A level by number or by name: 2, READ_COMMITTED, TRANSACTION_READ_COMMITTED, read-committed. */
    private static int isolation(String v) {
        String n = v.toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        if (n.startsWith("TRANSACTION_")) {
            n = n.substring("TRANSACTION_".length());
        }
        switch (n) {
            case "NONE":
                return Connection.TRANSACTION_NONE;
            case "READ_UNCOMMITTED":
                return Connection.TRANSACTION_READ_UNCOMMITTED;
            case "READ_COMMITTED":
                return Connection.TRANSACTION_READ_COMMITTED;
            case "REPEATABLE_READ":
                return Connection.TRANSACTION_REPEATABLE_READ;
            case "SERIALIZABLE":
                return Connection.TRANSACTION_SERIALIZABLE;
            default:
                try {
                    return Integer.parseInt(n);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("transactionIsolation (" + v + ") is not a level: write"
                            + " READ_COMMITTED, REPEATABLE_READ, SERIALIZABLE, READ_UNCOMMITTED or a Connection.TRANSACTION_* number");
                }
        }
    }

    /** true / false, or a {@link PgBouncer} name: transaction_pooling, prepared-statements, none. */
    private static PgBouncer pgbouncer(String v) {
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v) ? PgBouncer.TRANSACTION_POOLING : PgBouncer.NONE;
        }
        try {
            return PgBouncer.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pgbouncer (" + v + ") is not one of true, false, NONE, TRANSACTION_POOLING,"
                    + " PREPARED_STATEMENTS");
        }
    }

    private static ResetMode resetMode(String v) {
        try {
            return ResetMode.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("resetOnReturn (" + v + ") is not one of NONE, RESET_ALL, DISCARD_ALL, AUTO");
        }
    }

    static String normal(String key) {
        return key.replace("-", "").replace("_", "").replace(".", "").toLowerCase(Locale.ROOT);
    }

    /** " (did you mean maxSize?)" for the nearest name, when it is near enough to be a typo. */
    private static String closest(String key) {
        String k = normal(key);
        String near = Suggestions.closest(k, BY_NORMAL.keySet(), Math.max(2, k.length() / 3));
        return near != null ? " (did you mean " + BY_NORMAL.get(near) + "?)" : "";
    }
}
