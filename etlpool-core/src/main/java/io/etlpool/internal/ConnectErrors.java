package io.etlpool.internal;

import io.etlpool.PoolTimeoutException.Reason;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/** Turns a failed connect into the case it is and what to do about it. */
final class ConnectErrors {

    private ConnectErrors() {
    }

    static Reason reason(SQLException e) {
        String state = SqlStates.stateOf(e);
        if (state != null && (state.startsWith("28") || state.equals("3D000"))) {
            return Reason.LOGIN_FAILED;
        }
        if ("53300".equals(state)) {
            return Reason.SERVER_FULL;
        }
        return Reason.DATABASE_UNREACHABLE;
    }

    /** Retrying cannot help until someone changes something: stop waiting at start-up. */
    static boolean isPermanent(SQLException e) {
        if (reason(e) == Reason.LOGIN_FAILED || e instanceof PgBouncerCheck.NotTrackedException) {
            return true;
        }
        return causeOf(e, UnknownHostException.class) != null
                || (e.getMessage() != null && e.getMessage().contains("No suitable driver"));
    }

    /** One sentence: what went wrong, and the fix. Never contains a password. */
    static String describe(SQLException e, String url, String user) {
        String state = SqlStates.stateOf(e);
        String where = url == null ? "the DataSource" : Urls.mask(url);
        String detail = " (" + (state == null ? "" : "SQLState " + state + ": ") + firstLine(e.getMessage()) + ")";
        if (e instanceof PgBouncerCheck.NotTrackedException) {
            return e.getMessage();
        }
        if ("28P01".equals(state) || "28000".equals(state)) {
            return "the server refused the login of user '" + user + "'" + detail
                    + "; check the username and password, and pg_hba.conf for this client";
        }
        if (state != null && state.startsWith("28")) {
            return "the server refused the login of user '" + user + "'" + detail + "; check the credentials";
        }
        if ("3D000".equals(state)) {
            return "the database in " + where + " does not exist" + detail + "; check the database name in the URL";
        }
        if ("53300".equals(state)) {
            return "the server has no free connection slots" + detail
                    + "; other clients use all of max_connections: lower maxSize or raise the server's max_connections";
        }
        if ("57P03".equals(state)) {
            return "the database is starting up or shutting down" + detail + "; it should accept connections soon";
        }
        if (causeOf(e, UnknownHostException.class) != null) {
            return "the host in " + where + " is unknown" + detail + "; check the host name";
        }
        if (causeOf(e, ConnectException.class) != null || causeOf(e, NoRouteToHostException.class) != null) {
            return "could not reach the database at " + where + detail
                    + "; check that the server is running and the URL's host and port";
        }
        if (e.getMessage() != null && e.getMessage().contains("No suitable driver")) {
            return "no JDBC driver accepts " + where + detail + "; check the URL and that the driver jar is on the class path";
        }
        return "could not connect to " + where + detail;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
