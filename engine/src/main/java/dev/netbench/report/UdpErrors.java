package dev.netbench.report;

import dev.netbench.protocol.Fields;

/**
 * The kernel's UDP error counters of one end's network namespace (/proc/net/snmp, the {@code Udp:} lines):
 * RcvbufErrors, datagrams dropped because a socket's receive buffer was full, and InErrors, every datagram dropped
 * on receive (those included). Counted for the whole namespace, every socket in it, not for one socket. A reading,
 * or a delta over a window; when the counters could not be read, {@code unavailable} says why and there are no
 * counts (-1), never zeros.
 */
public record UdpErrors(long rcvbufErrors, long inErrors, String unavailable) {

    public static UdpErrors unavailable(String why) {
        return new UdpErrors(-1, -1, why);
    }

    public boolean available() {
        return unavailable == null;
    }

    /** The counts from {@code start} to this reading; unavailable if either is. */
    public UdpErrors since(UdpErrors start) {
        if (!available()) {
            return this;
        }
        if (!start.available()) {
            return start;
        }
        return new UdpErrors(rcvbufErrors - start.rcvbufErrors, inErrors - start.inErrors, null);
    }

    public Fields toFields() {
        return available()
                ? Fields.builder().put("rcvbuf_errors", rcvbufErrors).put("in_errors", inErrors).build()
                : Fields.builder().put("unavailable", unavailable).build();
    }

    public static UdpErrors fromFields(Fields f) {
        if (f.get("unavailable") != null) {
            return unavailable(f.get("unavailable"));
        }
        if (f.get("rcvbuf_errors") == null) {
            return unavailable("not reported by the agent (an older netbench)");
        }
        return new UdpErrors(f.requireLong("rcvbuf_errors"), f.requireLong("in_errors"), null);
    }
}
