package dev.netbench.server;

import dev.netbench.protocol.TestSpec;
import dev.netbench.report.EndFigures;
import dev.netbench.report.Units;

import java.util.Locale;

/** The server's one log line per test connection served. */
final class ServedLine {
    private ServedLine() {
    }

    static String format(TestSpec spec, String from, EndFigures f) {
        String stream = spec.streams() > 1 ? " stream " + (spec.stream() + 1) + "/" + spec.streams() : "";
        String moved = f.bytesReceived() >= f.bytesSent()
                ? "received " + Units.bytes(f.bytesReceived())
                : "sent " + Units.bytes(f.bytesSent());
        double bps = Math.max(f.bytesReceived(), f.bytesSent()) * 8 / f.seconds();
        return String.format(Locale.ROOT, "served %s%s%s from %s, msg %s: %s in %.2f s (%s), %d messages, process cpu %.1f %%",
                spec.kind().wireName(), spec.reverse() ? " reverse" : "", stream, from, Units.msgSize(spec.msgSize()),
                moved, f.seconds(), Units.bitsPerSecond(bps), f.messagesSent() + f.messagesReceived(),
                f.cpu().processCpusUsed());
    }
}
