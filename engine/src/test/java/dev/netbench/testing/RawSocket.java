package dev.netbench.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;

/** A client with no protocol at all: for feeding servers exact, broken or hostile bytes. */
public final class RawSocket {
    private RawSocket() {
    }

    /**
     * Connects to 127.0.0.1:{@code port}, sends {@code bytes} (then half-closes, if asked), and returns everything
     * the server sends until it closes. A server that closes or resets early is not an error: that is often the
     * behaviour under test.
     */
    public static byte[] exchange(int port, byte[] bytes, boolean halfClose) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(15_000);
            try {
                s.getOutputStream().write(bytes);
                if (halfClose) {
                    s.shutdownOutput();
                }
            } catch (SocketException closedEarly) {
                // the server closed before it read everything
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    got.write(buf, 0, n);
                }
            } catch (SocketException reset) {
                // a reset is a close too
            }
            return got.toByteArray();
        }
    }
}
