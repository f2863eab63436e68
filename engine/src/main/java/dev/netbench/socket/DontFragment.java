package dev.netbench.socket;

import io.netty.channel.unix.Socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A UDP socket whose datagrams probe the path's MTU: IP_MTU_DISCOVER (and IPV6_MTU_DISCOVER) set to
 * IP_PMTUDISC_PROBE, so every datagram leaves with Don't Fragment set and is never cut into fragments here, whatever
 * the kernel has learned of the path; one larger than this end's interface allows fails at once with EMSGSIZE.
 * Netty has no option for it; its raw setsockopt(2) does it. Linux's numbers, as on every architecture netbench's
 * native epoll ships for.
 */
public final class DontFragment {
    private static final int IPPROTO_IP = 0;
    private static final int IP_MTU_DISCOVER = 10;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_MTU_DISCOVER = 23;
    /** IP_PMTUDISC_PROBE and IPV6_PMTUDISC_PROBE: set DF, ignore the learned path MTU. */
    private static final int PMTUDISC_PROBE = 3;

    private DontFragment() {
    }

    /**
     * Sets both families' option: a dual-stack socket carries IPv4 under the first and IPv6 under the second, and an
     * IPv4 socket refuses the second. Fails only when neither could be set.
     */
    public static void probe(Socket socket) throws IOException {
        ByteBuffer value = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putInt(0, PMTUDISC_PROBE);
        IOException v4 = set(socket, IPPROTO_IP, IP_MTU_DISCOVER, value);
        IOException v6 = set(socket, IPPROTO_IPV6, IPV6_MTU_DISCOVER, value);
        if (v4 != null && v6 != null) {
            throw v4;
        }
    }

    private static IOException set(Socket socket, int level, int option, ByteBuffer value) {
        try {
            socket.setRawOpt(level, option, value.duplicate());
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /** The MTU of the interface that holds {@code local}, or -1 where it cannot be told (a wildcard address). */
    public static int interfaceMtu(InetAddress local) {
        try {
            NetworkInterface nif = local.isAnyLocalAddress() ? null : NetworkInterface.getByInetAddress(local);
            return nif == null ? -1 : nif.getMTU();
        } catch (SocketException e) {
            return -1;
        }
    }
}
