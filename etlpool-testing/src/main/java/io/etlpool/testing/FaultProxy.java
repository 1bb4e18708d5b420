package io.etlpool.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback between a client and a server, for simulating network faults.
 *
 * <ul>
 *   <li>{@link #latency(Duration)}: every chunk of data waits this long before it is forwarded;</li>
 *   <li>{@link #stall()}: nothing is forwarded any more, in either direction, on current and new
 *       connections, and nothing is closed: a network partition as a client sees it;</li>
 *   <li>{@link #cut()}: every current connection is reset at once (new ones still pass);</li>
 *   <li>{@link #refuseNew()}: the listening port closes, so connection attempts are refused (the port stays
 *       bound, not listening, so that no client gets it as its own port meanwhile);</li>
 *   <li>{@link #heal()}: back to passing everything (current connections that survived carry on).</li>
 * </ul>
 * Both ends are loopback only: this class refuses any other target.
 */
public final class FaultProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final InetAddress bindAddress;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile boolean stalled;
    private volatile long latencyNanos;
    private volatile boolean closed;
    private volatile ServerSocket listener;
    private volatile Thread acceptor;
    /**
     * While refusing: a socket bound to the port but not listening. A connect to it is refused, and the
     * kernel does not pick the port as a client's ephemeral port (a connect from port P to port P on
     * loopback is a TCP self-connect, and succeeds).
     */
    private volatile Socket holder;

    private FaultProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.bindAddress = InetAddress.getLoopbackAddress();
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        startAcceptor(listener);
    }

    /** A proxy on a free loopback port forwarding to {@code targetHost:targetPort}, which must be loopback. */
    public static FaultProxy start(String targetHost, int targetPort) {
        try {
            InetAddress address = InetAddress.getByName(targetHost);
            if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException("FaultProxy forwards to loopback addresses only, not " + targetHost);
            }
            return new FaultProxy(new InetSocketAddress(address, targetPort));
        } catch (IOException e) {
            throw new IllegalStateException("could not start the fault proxy: " + e.getMessage(), e);
        }
    }

    /** The host the proxy listens on. */
    public String host() {
        return bindAddress.getHostAddress();
    }

    /** The port the proxy listens on. */
    public int port() {
        return port;
    }

    /** Connections currently open through the proxy (client side). */
    public int connectionCount() {
        return sockets.size() / 2;
    }

    /** Delays every forwarded chunk of data. */
    public void latency(Duration latency) {
        latencyNanos = latency.toNanos();
    }

    /** Stops forwarding on every connection, current and new, without closing anything. */
    public void stall() {
        stalled = true;
    }

    /** Resets every current connection. */
    public void cut() {
        for (Socket s : sockets) {
            reset(s);
        }
    }

    /** Closes the listening port: new connection attempts are refused until {@link #heal()}. */
    public synchronized void refuseNew() {
        if (listener.isClosed()) {
            return;
        }
        closeQuietly(listener);
        awaitAcceptorEnd(); // until then the kernel may keep the listening socket and complete handshakes
        holder = hold();
    }

    /** Passes everything again: no stall, no latency, the port open. */
    public synchronized void heal() {
        latencyNanos = 0;
        synchronized (gate) {
            stalled = false;
            gate.notifyAll();
        }
        if (listener.isClosed() && !closed) {
            closeQuietly(holder);
            holder = null;
            try {
                listener = listen(port);
                startAcceptor(listener);
            } catch (IOException e) {
                throw new IllegalStateException("could not reopen port " + port + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeQuietly(listener);
        Socket h = holder;
        if (h != null) {
            closeQuietly(h);
        }
        heal();
        cut();
    }

    private ServerSocket listen(int onPort) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(bindAddress, onPort));
        return s;
    }

    /** Binds the port without listening; retried for a while, as the closed listener may linger a moment. */
    private Socket hold() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Socket s = new Socket();
            try {
                s.setReuseAddress(true); // shares the port with the accepted connections still open or in TIME_WAIT
                s.bind(new InetSocketAddress(bindAddress, port));
                return s;
            } catch (IOException e) {
                closeQuietly(s);
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("could not keep port " + port + " while refusing: " + e.getMessage(), e);
                }
                sleepQuietly(10);
            }
        }
    }

    private void awaitAcceptorEnd() {
        Thread t = acceptor;
        if (t == null) {
            return;
        }
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void startAcceptor(ServerSocket server) {
        acceptor = daemon("fault-proxy-accept-" + port, () -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    connect(client);
                } catch (IOException e) {
                    return; // the listener was closed
                }
            }
        });
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(target, 5_000);
        } catch (IOException e) {
            reset(client);
            return;
        }
        for (Socket s : new Socket[]{client, upstream}) {
            sockets.add(s);
            try {
                s.setTcpNoDelay(true);
            } catch (SocketException ignored) {
                // not fatal for a test proxy
            }
        }
        daemon("fault-proxy-up-" + port, () -> pump(client, upstream));
        daemon("fault-proxy-down-" + port, () -> pump(upstream, client));
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                awaitPassage();
                long delay = latencyNanos;
                if (delay > 0) {
                    Thread.sleep(delay / 1_000_000, (int) (delay % 1_000_000));
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side went away: take the other down too
        } finally {
            reset(from);
            reset(to);
        }
    }

    /** Blocks while stalled: the data stays here and, once buffers fill, the sender blocks too. */
    private void awaitPassage() throws InterruptedException {
        if (!stalled) {
            return;
        }
        synchronized (gate) {
            while (stalled) {
                gate.wait();
            }
        }
    }

    private void reset(Socket s) {
        sockets.remove(s);
        try {
            s.setSoLinger(true, 0); // close with RST, like a dropped connection
        } catch (SocketException ignored) {
            // already closed
        }
        closeQuietly(s);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing to do
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public String toString() {
        return "FaultProxy[" + host() + ":" + port + " -> " + target + (stalled ? ", stalled" : "") + "]";
    }
}
