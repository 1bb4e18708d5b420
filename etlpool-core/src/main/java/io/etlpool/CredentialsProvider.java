package io.etlpool;

import java.sql.SQLException;

/**
 * The user and password of each new connection, asked for every time the pool opens one (never cached):
 * for passwords that rotate, such as IAM database tokens or a secrets manager's. Connections already open
 * keep working after a rotation; the new password is used from the next connection the pool opens (a
 * replacement after maxLifetime, an eviction, growth).
 *
 * <p>It is called on the pool's connection-opening threads, possibly on several at once, so it must be
 * thread-safe; it should answer quickly (fetch and cache tokens yourself if that is slow). What it throws
 * counts as a failed connection attempt: the pool retries as it does for an unreachable database.
 */
@FunctionalInterface
public interface CredentialsProvider {

    /** The credentials for the connection about to be opened. */
    Credentials credentials() throws SQLException;

    /**
     * A user and password; a null username means the pool's {@code username}. {@link #toString()} never
     * shows the password.
     */
    record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[username=" + username + ", password=" + (password == null ? "null" : "****") + "]";
        }
    }
}
