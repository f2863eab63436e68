package dev.netbench.admission;

import dev.netbench.protocol.TestSpec;
import dev.netbench.report.EndFigures;

import java.util.Locale;

/**
 * The server's one log line per test connection served, as logfmt key=value pairs so log pipelines can parse it:
 * who (peer address and client host), what (test, stream, message size), and the result (the server's figures).
 */
public final class ServedLine {
    private ServedLine() {
    }

    public static String format(TestSpec spec, String peer, String clientHost, EndFigures f) {
        long moved = Math.max(f.bytesReceived(), f.bytesSent());
        return String.format(Locale.ROOT,
                "event=served test=%s reverse=%s stream=%d/%d msg_size=%d peer=%s client=%s bytes_sent=%d bytes_received=%d"
                        + " messages=%d seconds=%.3f bits_per_second=%.0f process_cpus_used_percent=%.1f",
                spec.kind().wireName(), spec.reverse(), spec.stream() + 1, spec.streams(), spec.msgSize(), peer,
                clientHost == null ? "-" : clientHost.replaceAll("\\s", "_"), f.bytesSent(), f.bytesReceived(),
                f.messagesSent() + f.messagesReceived(), f.seconds(), f.seconds() > 0 ? moved * 8 / f.seconds() : 0.0,
                f.cpu().processCpusUsed());
    }
}
