package dev.netbench.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A port on 127.0.0.1 that forwards every connection to a target port and counts the bytes each way: what a
 * netbench end put on the wire, counted by a socket that is not netbench's.
 */
public final class CountingProxy implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong toTarget = new AtomicLong();
    private final AtomicLong fromTarget = new AtomicLong();
    private final AtomicLong pipesOpen = new AtomicLong();

    public CountingProxy(int targetPort) throws IOException {
        daemon(() -> {
            try {
                while (true) {
                    Socket client = keep(listener.accept());
                    Socket target = keep(new Socket(InetAddress.getLoopbackAddress(), targetPort));
                    pipe(client, target, toTarget);
                    pipe(target, client, fromTarget);
                }
            } catch (IOException closed) {
                // close() ends the proxy
            }
        });
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Bytes the connecting side (the client) sent, once every connection has ended. */
    public long toTarget() throws InterruptedException {
        awaitPipes();
        return toTarget.get();
    }

    /** Bytes the target (the server) sent, once every connection has ended. */
    public long fromTarget() throws InterruptedException {
        awaitPipes();
        return fromTarget.get();
    }

    private void awaitPipes() throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (pipesOpen.get() > 0 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }

    private Socket keep(Socket s) {
        sockets.add(s);
        return s;
    }

    /** Copies from one socket to the other until EOF, counting, then passes the EOF on. */
    private void pipe(Socket from, Socket to, AtomicLong count) {
        pipesOpen.incrementAndGet();
        daemon(() -> {
            byte[] buf = new byte[256 * 1024];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buf)) > 0; ) {
                    count.addAndGet(n);
                    out.write(buf, 0, n);
                }
                to.shutdownOutput();
            } catch (IOException closed) {
                // either end went away
            } finally {
                pipesOpen.decrementAndGet();
            }
        });
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "counting-proxy");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
