package io.etlpool.internal;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;

/** What a pooled connection delegates to once given back: every use fails with a clear message. */
final class ClosedConnection {

    static final Connection INSTANCE = (Connection) Proxy.newProxyInstance(ClosedConnection.class.getClassLoader(),
            new Class<?>[]{Connection.class}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "isClosed":
                        return true;
                    case "isValid":
                        return false;
                    case "close":
                    case "abort":
                        return null;
                    case "toString":
                        return "closed pooled connection";
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "equals":
                        return proxy == args[0];
                    default:
                        throw new SQLException("the connection has been returned to the pool: borrow a new one "
                                + "(" + method.getName() + " called after close)", "08003");
                }
            });

    private ClosedConnection() {
    }
}
