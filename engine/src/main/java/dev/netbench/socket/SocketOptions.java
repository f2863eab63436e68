package dev.netbench.socket;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import dev.netbench.NetbenchException;
import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The socket options Netty has no {@code ChannelOption} for, through libc's {@code setsockopt}/{@code getsockopt}
 * (JNA) on the file descriptor of a native epoll channel: TCP_MAXSEG, TCP_CONGESTION, IP_TOS as the kernel holds
 * it, and the kernel's whole {@code struct tcp_info} (Netty's {@code EpollTcpInfo} stops before
 * {@code tcpi_data_segs_out} and {@code tcpi_bytes_sent}). Linux only; on Java NIO there is no descriptor to reach,
 * and every call says so ({@link #unavailable(Channel)}). A call the kernel refuses throws {@link Failed} with the
 * option, the value and the kernel's reason.
 */
public final class SocketOptions {
    static final int SOL_IP = 0;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUFFORCE = 33;
    static final int SOL_TCP = 6;
    static final int IP_TOS = 1;
    static final int TCP_MAXSEG = 2;
    static final int TCP_INFO = 11;
    static final int TCP_CONGESTION = 13;
    static final int TCP_CA_NAME_MAX = 16;

    /** Offsets in the kernel's struct tcp_info (include/uapi/linux/tcp.h), and the length each needs. */
    static final int TCPI_SND_MSS = 16;
    static final int TCPI_SACKED = 28;
    static final int TCPI_PMTU = 60;
    static final int TCPI_RTT = 68;
    static final int TCPI_RTTVAR = 72;
    static final int TCPI_SND_CWND = 80;
    static final int TCPI_TOTAL_RETRANS = 100;
    static final int TCPI_BYTES_ACKED = 120; // Linux 4.1
    static final int TCPI_BYTES_RECEIVED = 128; // Linux 4.1
    static final int TCPI_DATA_SEGS_OUT = 156; // Linux 4.6
    static final int TCPI_BYTES_SENT = 200; // Linux 4.19
    private static final int TCP_INFO_BUFFER = 256;

    public static final String AVAILABLE_CONGESTION = "/proc/sys/net/ipv4/tcp_available_congestion_control";

    /** libc, as JNA binds it; errno comes back as {@link LastErrorException}. */
    interface LibC extends Library {
        int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

        int getsockopt(int fd, int level, int name, byte[] value, IntByReference length) throws LastErrorException;

        String strerror(int errno);
    }

    private static final LibC LIBC;
    private static final String LIBC_MISSING;

    static {
        LibC libc = null;
        String missing = null;
        try {
            libc = Native.load("c", LibC.class);
        } catch (Throwable t) { // UnsatisfiedLinkError, no JNA native library for this platform
            missing = "libc could not be loaded through JNA: " + t.getMessage();
        }
        LIBC = libc;
        LIBC_MISSING = missing;
    }

    private SocketOptions() {
    }

    /** A socket option the kernel (or this transport) would not set or read. */
    public static final class Failed extends NetbenchException {
        public Failed(String message) {
            super(message);
        }
    }

    /**
     * Loads libc through JNA now (once per process; JNA may first unpack its native library), so that the first
     * tcp_bw handshake does not wait for it on an event loop. Returns why it could not be loaded, or null.
     */
    public static String load() {
        return LIBC_MISSING;
    }

    /** Why this channel's options beyond Netty's cannot be reached (Java NIO, no JNA), or null when they can. */
    public static String unavailable(Channel ch) {
        if (!(ch instanceof UnixChannel)) {
            return "the " + (ch == null ? "" : ch.getClass().getSimpleName() + " ") + "transport is Java NIO, which cannot reach "
                    + "the socket's descriptor (native epoll only)";
        }
        return LIBC_MISSING;
    }

    /**
     * SO_RCVBUFFORCE: a receive buffer of {@code bytes} (the kernel doubles it, as SO_RCVBUF's) past
     * {@code net.core.rmem_max}; the kernel allows it only with CAP_NET_ADMIN.
     */
    public static void forceReceiveBuffer(Channel ch, int bytes) {
        setInt(ch, SOL_SOCKET, SO_RCVBUFFORCE, "SO_RCVBUFFORCE", bytes);
    }

    /** TCP_MAXSEG: before connect, the MSS this end advertises in its SYN and sends with at most. */
    public static void setMaxSeg(Channel ch, int mss) {
        setInt(ch, SOL_TCP, TCP_MAXSEG, "TCP_MAXSEG", mss);
    }

    /** TCP_MAXSEG read back: on a connected socket, the MSS in effect for sending. */
    public static int maxSeg(Channel ch) {
        return getInt(ch, SOL_TCP, TCP_MAXSEG, "TCP_MAXSEG");
    }

    /** IP_TOS as the kernel holds it for IPv4 packets (a v4-mapped connection on an IPv6 socket included). */
    public static int ipTos(Channel ch) {
        return getInt(ch, SOL_IP, IP_TOS, "IP_TOS");
    }

    /** TCP_CONGESTION; an unknown name fails with the names {@link #availableCongestion()} lists. */
    public static void setCongestion(Channel ch, String name) {
        int fd = fd(ch);
        byte[] value = name.getBytes(StandardCharsets.US_ASCII);
        try {
            LIBC.setsockopt(fd, SOL_TCP, TCP_CONGESTION, value, value.length);
        } catch (LastErrorException e) {
            String why = reason(e);
            if (e.getErrorCode() == 2) { // ENOENT: no such algorithm (module)
                why = "no such congestion control; available: " + String.join(" ", availableCongestion());
            } else if (e.getErrorCode() == 1) { // EPERM
                why = why + " (an unprivileged process may set only " + allowedCongestion() + ")";
            }
            throw new Failed("setsockopt(TCP_CONGESTION, \"" + name + "\"): " + why);
        }
    }

    /** TCP_CONGESTION read back: the algorithm in effect. */
    public static String congestion(Channel ch) {
        byte[] value = get(ch, SOL_TCP, TCP_CONGESTION, "TCP_CONGESTION", TCP_CA_NAME_MAX);
        int end = 0;
        while (end < value.length && value[end] != 0) {
            end++;
        }
        return new String(value, 0, end, StandardCharsets.US_ASCII);
    }

    /** The kernel's TCP_INFO now; -1 for the counters an older kernel's shorter struct lacks. */
    public static TcpInfoSample tcpInfo(Channel ch) {
        byte[] raw = get(ch, SOL_TCP, TCP_INFO, "TCP_INFO", TCP_INFO_BUFFER);
        return tcpInfo(raw, raw.length);
    }

    /**
     * The bytes this connection's data crossed the path with, by the kernel's count: as the sender,
     * {@code tcpi_bytes_acked} (what the receiving kernel acknowledged, in order); as the receiver,
     * {@code tcpi_bytes_received} (what this kernel took in, in order). Read with no lock, from any thread.
     */
    public static long deliveredBytes(Channel ch, boolean sending) {
        byte[] raw = get(ch, SOL_TCP, TCP_INFO, "TCP_INFO", TCP_INFO_BUFFER);
        int offset = sending ? TCPI_BYTES_ACKED : TCPI_BYTES_RECEIVED;
        if (raw.length < offset + 8) {
            throw new Failed("TCP_INFO has no " + (sending ? "tcpi_bytes_acked" : "tcpi_bytes_received") + " (a kernel before 4.1)");
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        // where this end sends, what the receiver holds beyond a hole (SACKed) has crossed too: count it, or a loss
        // recovery in progress at either edge of a window would shift a round trip's worth of data out of it
        return b.getLong(offset) + (sending ? u32(b, TCPI_SACKED) * u32(b, TCPI_SND_MSS) : 0);
    }

    /** struct tcp_info of {@code length} bytes as the kernel filled it. */
    static TcpInfoSample tcpInfo(byte[] raw, int length) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        return new TcpInfoSample(u32(b, TCPI_TOTAL_RETRANS), u32(b, TCPI_SND_CWND), u32(b, TCPI_SND_MSS), u32(b, TCPI_PMTU),
                u32(b, TCPI_RTT), u32(b, TCPI_RTTVAR),
                length >= TCPI_DATA_SEGS_OUT + 4 ? u32(b, TCPI_DATA_SEGS_OUT) : -1,
                length >= TCPI_BYTES_SENT + 8 ? b.getLong(TCPI_BYTES_SENT) : -1);
    }

    /** The congestion control algorithms this kernel has (loaded or built in), from /proc; empty if unreadable. */
    public static List<String> availableCongestion() {
        return words(AVAILABLE_CONGESTION);
    }

    private static String allowedCongestion() {
        List<String> allowed = words("/proc/sys/net/ipv4/tcp_allowed_congestion_control");
        return allowed.isEmpty() ? "those in tcp_allowed_congestion_control" : String.join(" ", allowed);
    }

    private static List<String> words(String file) {
        try {
            // readAllLines, not readString: on some /proc/sys files readString returns only the first byte
            String text = String.join(" ", Files.readAllLines(Path.of(file))).trim();
            return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\s+"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long u32(ByteBuffer b, int offset) {
        return b.getInt(offset) & 0xFFFF_FFFFL;
    }

    private static int fd(Channel ch) {
        String why = unavailable(ch);
        if (why != null) {
            throw new Failed(why);
        }
        if (!ch.isOpen()) {
            throw new Failed("the connection is closed");
        }
        return ((UnixChannel) ch).fd().intValue();
    }

    private static void setInt(Channel ch, int level, int name, String what, int value) {
        int fd = fd(ch);
        byte[] raw = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
        try {
            LIBC.setsockopt(fd, level, name, raw, raw.length);
        } catch (LastErrorException e) {
            throw new Failed("setsockopt(" + what + ", " + value + "): " + reason(e));
        }
    }

    private static int getInt(Channel ch, int level, int name, String what) {
        byte[] raw = get(ch, level, name, what, 4);
        return ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder()).getInt(0);
    }

    /** The option's value as the kernel wrote it, trimmed to the length it reported. */
    private static byte[] get(Channel ch, int level, int name, String what, int capacity) {
        int fd = fd(ch);
        byte[] raw = new byte[capacity];
        IntByReference length = new IntByReference(capacity);
        try {
            LIBC.getsockopt(fd, level, name, raw, length);
        } catch (LastErrorException e) {
            throw new Failed("getsockopt(" + what + "): " + reason(e));
        }
        return length.getValue() == capacity ? raw : Arrays.copyOf(raw, Math.max(0, Math.min(capacity, length.getValue())));
    }

    static String reason(LastErrorException e) {
        try {
            return LIBC.strerror(e.getErrorCode()) + " (errno " + e.getErrorCode() + ")";
        } catch (RuntimeException | Error ignored) {
            return "errno " + e.getErrorCode();
        }
    }
}
