package dev.netbench.cli;

import dev.netbench.protocol.SocketKnobs;
import dev.netbench.socket.SocketOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.ArrayList;
import java.util.List;

/** tcp_bw's socket knobs, iperf3's -N, -w, -M, -C, -S and -Z, as the client and the matrix take them. */
final class SocketKnobOptions {
    @Option(names = {"-N", "--no-delay"}, description = "tcp_bw: set TCP_NODELAY on the data sockets at both ends (iperf3 -N). "
            + "By default tcp_bw leaves Nagle on, as qperf and iperf3 do; the other tests always set TCP_NODELAY.")
    boolean noDelay;

    @Option(names = {"-w", "--window"}, paramLabel = "SIZE", converter = Converters.Window.class,
            description = "tcp_bw: SO_SNDBUF and SO_RCVBUF of the data sockets at both ends (iperf3 -w; 256K, 4M); the sizes the kernels granted are reported (Linux doubles the request, capped by wmem_max/rmem_max).")
    Integer window;

    @Option(names = {"-M", "--set-mss"}, paramLabel = "BYTES",
            description = "tcp_bw: TCP_MAXSEG on the client's data sockets before they connect (iperf3 -M); the MSS its SYN advertises bounds both directions. The sender's snd_mss shows the MSS in effect.")
    Integer mss;

    @Option(names = {"-C", "--congestion"}, paramLabel = "NAME",
            description = "tcp_bw: TCP congestion control of the data sockets at both ends (iperf3 -C: cubic, reno, bbr...; see /proc/sys/net/ipv4/tcp_available_congestion_control).")
    String congestion;

    @Option(names = {"-S", "--tos"}, paramLabel = "N", converter = Converters.Tos.class,
            description = "tcp_bw: IP_TOS of the data sockets at both ends (iperf3 -S: decimal, 0x hex or 0 octal, e.g. 0x10).")
    Integer tos;

    @Option(names = {"-Z", "--zerocopy"},
            description = "tcp_bw: the sending end sends each message with sendfile(2) from a file of zeros instead of write(2) (iperf3 -Z); native epoll only.")
    boolean zerocopy;

    /** Whether any of them was given. */
    boolean given() {
        return !asGiven().isEmpty();
    }

    /** The options given, as a user would write them ("-N", "-w 256K", "-S 0x10"). */
    List<String> asGiven() {
        List<String> given = new ArrayList<>();
        if (noDelay) {
            given.add("-N");
        }
        if (window != null) {
            given.add("-w " + Converters.format(window));
        }
        if (mss != null) {
            given.add("-M " + mss);
        }
        if (congestion != null) {
            given.add("-C " + congestion);
        }
        if (tos != null) {
            given.add("-S " + String.format("0x%02x", tos));
        }
        if (zerocopy) {
            given.add("-Z");
        }
        return given;
    }

    /**
     * The knobs, each checked here, so a bad one is one line and exit 2. {@code congestionHere}: check -C against this
     * host's algorithms (the client's own sockets use them; the matrix's agents have kernels of their own).
     */
    SocketKnobs knobs(CommandSpec spec, boolean congestionHere) {
        // TCP_MAXSEG: Linux takes 88 (TCP_MIN_MSS) to 32767 (MAX_TCP_WINDOW)
        if (mss != null && (mss < 88 || mss > 32767)) {
            throw bad(spec, "-M/--set-mss: " + mss + " outside 88..32767 bytes (what Linux accepts for TCP_MAXSEG)");
        }
        if (congestion != null && congestionHere) {
            List<String> available = SocketOptions.availableCongestion();
            if (!available.isEmpty() && !available.contains(congestion)) {
                throw bad(spec, "-C/--congestion: unknown congestion control '" + congestion + "'; available here: "
                        + String.join(" ", available) + " (" + SocketOptions.AVAILABLE_CONGESTION + ")");
            }
        }
        try {
            return new SocketKnobs(noDelay, window == null ? 0 : window, mss == null ? 0 : mss, congestion, tos == null ? -1 : tos,
                    zerocopy);
        } catch (IllegalArgumentException e) {
            throw bad(spec, e.getMessage());
        }
    }

    private static ParameterException bad(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
