package dev.netbench.session;

import dev.netbench.cpu.Baseline;
import dev.netbench.cpu.CpuSampler;
import dev.netbench.cpu.CpuSnapshot;
import dev.netbench.cpu.HostCpuHistory;
import dev.netbench.report.EndFigures;
import dev.netbench.socket.TcpInfoProbe;
import dev.netbench.socket.TcpInfoSample;

import java.util.concurrent.CompletableFuture;

/**
 * One end's measured window, from MARK to END: counts only while open, and samples CPU at both edges. The CPU
 * snapshot at the opening edge is taken on another thread, so the first measured message never waits for /proc;
 * the host's baseline is read when the window is made (at the test's handshake). Confined to the channel's event
 * loop, apart from the {@code volatile} totals read by interval reports.
 */
public final class MeasuredWindow {
    private final Baseline.Reading baseline = HostCpuHistory.shared().readBaseline();
    private CompletableFuture<CpuSnapshot> start;
    private long openedAt;
    private boolean open;
    private long bytesSent;
    private long bytesReceived;
    private long messagesSent;
    private long messagesReceived;
    /** Everything moved since the connection started, warm-up included: what -i progress lines show. */
    private volatile long progressBytes;
    private volatile long progressMessages;
    /** Set on the sending end of a tcp_bw stream, which reads TCP_INFO at both edges; read by interval reports. */
    private volatile TcpInfoProbe senderTcp;
    private TcpInfoSample tcpAtOpen;

    public void open() {
        if (start != null) {
            throw new IllegalStateException("window already opened");
        }
        openedAt = System.nanoTime();
        start = CpuSampler.openWindow();
        tcpAtOpen = senderTcp == null ? null : senderTcp.read();
        open = true;
    }

    public boolean isOpen() {
        return open;
    }

    public boolean wasOpened() {
        return start != null;
    }

    public EndFigures close() {
        if (!open) {
            throw new IllegalStateException("window not open");
        }
        open = false;
        long closedAt = System.nanoTime();
        CpuSnapshot end = CpuSampler.snapshot();
        CpuSampler.windowEnded();
        return new EndFigures(bytesSent, bytesReceived, messagesSent, messagesReceived,
                closedAt - openedAt, end.since(start.join(), baseline.value(), baseline.missing()),
                senderTcp == null ? null : senderTcp.since(tcpAtOpen));
    }

    /**
     * The test ended without closing its window (the connection dropped, the session expired): counting stops and
     * the host's history sampling is released, or an agent would keep it paused for the rest of its life and report no
     * baseline for any later test. Does nothing once closed.
     */
    public void abandon() {
        if (open) {
            open = false;
            CpuSampler.windowEnded();
        }
    }

    /** This end sends a TCP stream: its figures will include the sender's TCP_INFO over the window. */
    public void sampleSenderTcp(TcpInfoProbe probe) {
        senderTcp = probe;
    }

    /** The sending end's TCP_INFO, or null at any other end. */
    public TcpInfoProbe senderTcp() {
        return senderTcp;
    }

    public void sent(long bytes, long messages) {
        progressBytes += bytes;
        progressMessages += messages;
        if (open) {
            bytesSent += bytes;
            messagesSent += messages;
        }
    }

    public void received(long bytes, long messages) {
        progressBytes += bytes;
        progressMessages += messages;
        if (open) {
            bytesReceived += bytes;
            messagesReceived += messages;
        }
    }

    public long progressBytes() {
        return progressBytes;
    }

    public long progressMessages() {
        return progressMessages;
    }
}
