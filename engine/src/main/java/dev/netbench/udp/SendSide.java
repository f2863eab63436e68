package dev.netbench.udp;

import dev.netbench.protocol.Fields;
import dev.netbench.report.UdpErrors;

/**
 * What udp_bw's sending end reports of itself beside its figures: the kernel's UDP error counters of its namespace
 * over its window, its socket's granted SO_SNDBUF (-1 unknown), the datagrams one send may carry (more than 1: GSO;
 * 0: an older agent did not say) and how many the window's sends carried on average (NaN: not said, or no send).
 * Travels in END (reverse) or stays on the client (forward).
 */
record SendSide(UdpErrors kernel, int sendBuffer, int gsoSegments, double datagramsPerSend) {

    Fields toFields() {
        return Fields.builder().putAll(kernel.toFields(), "kernel.").put("sndbuf", sendBuffer).put("gso_segments", gsoSegments)
                .put("datagrams_per_send", datagramsPerSend).build();
    }

    static SendSide fromFields(Fields f) {
        String sndbuf = f.get("sndbuf");
        String segments = f.get("gso_segments");
        String perSend = f.get("datagrams_per_send");
        return new SendSide(UdpErrors.fromFields(f.withPrefix("kernel.")), sndbuf == null ? -1 : (int) f.requireLong("sndbuf"),
                segments == null ? 0 : (int) f.requireLong("gso_segments"), perSend == null ? Double.NaN : f.requireDouble("datagrams_per_send"));
    }
}
