package dev.netbench.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A port on 127.0.0.1 that forwards its first connection to a target port and accepts every later one without
 * ever answering it: a server that takes a test's control connection but leaves its other connections hanging.
 */
public final class FirstConnectionProxy implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    public FirstConnectionProxy(int targetPort) throws IOException {
        daemon(() -> {
            try {
                Socket first = keep(listener.accept());
                Socket target = keep(new Socket(InetAddress.getLoopbackAddress(), targetPort));
                pipe(first, target);
                pipe(target, first);
                while (true) {
                    keep(listener.accept()); // held open, never read from or answered
                }
            } catch (IOException closed) {
                // close() ends the proxy
            }
        });
    }

    public int port() {
        return listener.getLocalPort();
    }

    private Socket keep(Socket s) {
        sockets.add(s);
        return s;
    }

    /** Copies from one socket to the other until EOF, then passes the EOF on. */
    private static void pipe(Socket from, Socket to) {
        daemon(() -> {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
                to.shutdownOutput();
            } catch (IOException closed) {
                // either end went away
            }
        });
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "first-connection-proxy");
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
