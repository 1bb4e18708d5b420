package io.etlpool.spark;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;

/**
 * What an executor's pool is: where it connects, as whom, and how many connections it may hold. Two tasks
 * with equal specs share one pool in their JVM ({@link ExecutorPools}). It travels to the executors inside
 * Spark's tasks, so it carries the password; {@link #toString()} never shows it, and equality compares a
 * SHA-256 digest of it, not the text.
 *
 * @param jdbcUrl             where to connect, e.g. {@code jdbc:postgresql://db:5432/shop}
 * @param user                the database user (null with a credentials provider)
 * @param password            the password (null with a credentials provider)
 * @param credentialsProvider the class name of an {@link io.etlpool.CredentialsProvider} with a public
 *                            no-argument constructor, created in each executor; null for user and password
 * @param maxSize             the pool's maximum connections in one JVM
 * @param connectionTimeoutMs how long a task waits for a free connection before it fails
 * @param idleCloseMs         how long a pool nobody uses stays open before it is closed (0: at once)
 */
public record PoolSpec(String jdbcUrl, String user, String password, String credentialsProvider, int maxSize,
                       long connectionTimeoutMs, long idleCloseMs) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Checks the values. */
    public PoolSpec {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize (" + maxSize + ") must be at least 1");
        }
        if (connectionTimeoutMs < 0 || idleCloseMs < 0) {
            throw new IllegalArgumentException("connectionTimeoutMs and idleCloseMs must not be negative");
        }
    }

    /** This spec with another maximum size. */
    public PoolSpec withMaxSize(int size) {
        return new PoolSpec(jdbcUrl, user, password, credentialsProvider, size, connectionTimeoutMs, idleCloseMs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PoolSpec s && jdbcUrl.equals(s.jdbcUrl) && Objects.equals(user, s.user)
                && Arrays.equals(digest(password), digest(s.password))
                && Objects.equals(credentialsProvider, s.credentialsProvider) && maxSize == s.maxSize
                && connectionTimeoutMs == s.connectionTimeoutMs && idleCloseMs == s.idleCloseMs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(jdbcUrl, user, Arrays.hashCode(digest(password)), credentialsProvider, maxSize,
                connectionTimeoutMs, idleCloseMs);
    }

    /** The spec without its password (and with any password in the URL masked). */
    @Override
    public String toString() {
        return "PoolSpec[url=" + maskedUrl() + ", user=" + user
                + (credentialsProvider != null ? ", credentialsProvider=" + credentialsProvider : "")
                + ", maxSize=" + maxSize + "]";
    }

    /** The URL with the value of a {@code password=} parameter replaced by {@code ****}. */
    public String maskedUrl() {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }

    private static byte[] digest(String secret) {
        if (secret == null) {
            return null;
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
