package io.etlpool.embedded.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;

/**
 * The operating-system user that runs initdb and the server.
 *
 * <p>PostgreSQL refuses to run as root. When the JVM runs as root, the programs run as {@code postgres}
 * (if that user exists, else {@code nobody}) through {@code setpriv}, which execs in place so that the
 * process the JVM started is the server itself; {@code runuser} is the fallback.
 */
public final class ServerUser {

    private final String name;
    private final List<String> prefix;

    private ServerUser(String name, List<String> prefix) {
        this.name = name;
        this.prefix = prefix;
    }

    /** The JVM's own user when it is not root, else an unprivileged one. */
    public static ServerUser forThisJvm() {
        if (!runningAsRoot()) {
            return new ServerUser(System.getProperty("user.name"), List.of());
        }
        String user = userExists("postgres") ? "postgres" : "nobody";
        if (Files.isExecutable(Path.of("/usr/bin/setpriv")) || Files.isExecutable(Path.of("/bin/setpriv"))) {
            return new ServerUser(user, List.of("setpriv", "--reuid=" + user, "--regid=" + primaryGroup(user),
                    "--init-groups", "--"));
        }
        return new ServerUser(user, List.of("runuser", "-u", user, "--"));
    }

    /** The user's name, for messages. */
    public String name() {
        return name;
    }

    /** Whether commands are run as another user than the JVM's. */
    public boolean switchesUser() {
        return !prefix.isEmpty();
    }

    /** The command, prefixed so that it runs as this user. */
    public List<String> command(List<String> command) {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        return full;
    }

    /** Gives a directory tree to this user (a no-op when no user switch happens). */
    public void takeOwnership(Path dir) throws IOException {
        if (!switchesUser()) {
            return;
        }
        UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal owner = lookup.lookupPrincipalByName(name);
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(primaryGroup(name));
        try (var all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                view.setOwner(owner);
                view.setGroup(group);
            }
        }
    }

    private static boolean runningAsRoot() {
        String uid = Commands.outputOrNull(List.of("id", "-u"));
        return uid != null && uid.trim().equals("0");
    }

    private static boolean userExists(String user) {
        return Commands.outputOrNull(List.of("id", "-u", user)) != null;
    }

    private static String primaryGroup(String user) {
        String group = Commands.outputOrNull(List.of("id", "-gn", user));
        return group == null ? user : group.trim();
    }

    @Override
    public String toString() {
        return name;
    }
}
