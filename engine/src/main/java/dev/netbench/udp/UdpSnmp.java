package dev.netbench.udp;

import dev.netbench.report.UdpErrors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the kernel's UDP error counters of this process's network namespace from /proc/net/snmp: a {@code Udp:}
 * line naming the columns, then a {@code Udp:} line of values ({@code UdpLite:} lines are another protocol's).
 */
final class UdpSnmp {
    private static final Path SNMP = Path.of("/proc/net/snmp");

    private UdpSnmp() {
    }

    /** The counters now, or unavailable with the reason (not Linux, no /proc, an unexpected format). */
    static UdpErrors read() {
        try {
            return parse(Files.readAllLines(SNMP));
        } catch (IOException | IllegalArgumentException e) {
            return UdpErrors.unavailable("cannot read " + SNMP + ": " + e);
        }
    }

    static UdpErrors parse(List<String> lines) {
        List<String[]> udp = lines.stream().filter(l -> l.startsWith("Udp:")).map(l -> l.substring(4).trim().split("\\s+")).toList();
        if (udp.size() < 2 || udp.get(0).length != udp.get(1).length) {
            throw new IllegalArgumentException("no Udp: header and value lines");
        }
        return new UdpErrors(column(udp, "RcvbufErrors"), column(udp, "InErrors"), null);
    }

    private static long column(List<String[]> udp, String name) {
        int i = Arrays.asList(udp.get(0)).indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no Udp: " + name + " column");
        }
        return Long.parseLong(udp.get(1)[i]);
    }
}
