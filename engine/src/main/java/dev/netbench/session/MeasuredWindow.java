package dev.netbench.session;

import dev.netbench.cpu.CpuSampler;
import dev.netbench.cpu.CpuSnapshot;
import dev.netbench.report.EndFigures;

/**
 * One end's measured window, from MARK to END: counts only while open, and samples CPU at both edges.
 * Confined to the channel's event loop, apart from the {@code volatile} totals read by interval reports.
 */
public final class MeasuredWindow {
    private CpuSnapshot start;
    private boolean open;
    private long bytesSent;
    private long bytesReceived;
    private long messagesSent;
    private long messagesReceived;
    /** Everything moved since the connection started, warm-up included: what -i progress lines show. */
    private volatile long progressBytes;
    private volatile long progressMessages;

    public void open() {
        if (start != null) {
            throw new IllegalStateException("window already opened");
        }
        start = CpuSampler.snapshot();
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
        CpuSnapshot end = CpuSampler.snapshot();
        return new EndFigures(bytesSent, bytesReceived, messagesSent, messagesReceived,
                end.nanoTime() - start.nanoTime(), end.since(start));
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
