package dev.netbench.report;

import dev.netbench.protocol.Fields;

import java.util.List;

/**
 * The sending end's {@link TcpFigures}, or why it has none: where TCP_INFO cannot be read the figures are absent
 * (null in JSON), never zeros.
 */
public record SenderTcp(TcpFigures figures, String unavailable) {

    public SenderTcp {
        if ((figures == null) == (unavailable == null)) {
            throw new IllegalArgumentException("either figures or the reason there are none");
        }
    }

    public static SenderTcp measured(TcpFigures figures) {
        return new SenderTcp(figures, null);
    }

    public static SenderTcp unavailable(String why) {
        return new SenderTcp(null, why);
    }

    /** Parallel streams as one: their figures summed ({@link TcpFigures#sum}), or the first stream's reason for none. */
    public static SenderTcp of(List<SenderTcp> streams) {
        for (SenderTcp s : streams) {
            if (s.figures == null) {
                return s;
            }
        }
        return measured(TcpFigures.sum(streams.stream().map(SenderTcp::figures).toList()));
    }

    /** As RESULT fields: the figures, or {@code unavailable} with the reason. */
    public Fields toFields() {
        if (figures == null) {
            return Fields.builder().put("unavailable", unavailable).build();
        }
        Fields.Builder b = Fields.builder()
                .put("retransmits", figures.retransmits())
                .put("snd_cwnd", figures.sndCwnd())
                .put("snd_mss", figures.sndMss())
                .put("pmtu", figures.pmtu())
                .put("rtt_us", figures.rttUs())
                .put("rttvar_us", figures.rttvarUs());
        if (figures.dataSegsOut() >= 0) {
            b.put("data_segs_out", figures.dataSegsOut());
        }
        if (figures.bytesOut() >= 0) {
            b.put("bytes_out", figures.bytesOut());
        }
        return b.build();
    }

    /** From RESULT fields; null when there are none (the end sent no TCP stream, or is a netbench without them). */
    public static SenderTcp fromFields(Fields f) {
        if (f.asMap().isEmpty()) {
            return null;
        }
        if (f.get("unavailable") != null) {
            return unavailable(f.get("unavailable"));
        }
        return measured(new TcpFigures(f.requireLong("retransmits"), f.requireLong("snd_cwnd"), f.requireLong("snd_mss"),
                f.requireLong("pmtu"), f.requireDouble("rtt_us"), f.requireDouble("rttvar_us"),
                // absent from an agent older than these counters, or on a kernel without them
                f.get("data_segs_out") == null ? -1 : f.requireLong("data_segs_out"),
                f.get("bytes_out") == null ? -1 : f.requireLong("bytes_out")));
    }
}
