package dev.netbench.http;

import dev.netbench.latency.LatencyRecorder;

/**
 * What the connections of one event loop counted. Confined to that loop while the run goes; merged after.
 * Failure classes follow ab: connect, receive (closed, reset or timed out before the response was whole),
 * length (body length differs from the first response's), exceptions (anything else, e.g. not HTTP).
 */
final class LoadStats {
    long complete;
    long connectFailures;
    long receiveFailures;
    long lengthFailures;
    long exceptions;
    long timeouts;
    long non2xx;
    long keepAliveRequests;
    long connections;
    long bytesReceived;
    long bodyBytes;
    /** Requests started that had neither completed nor failed when the window ended by the clock. */
    long inFlightAtEnd;
    /** Open loop only: requests sent more than {@link dev.netbench.report.HttpFigures.Schedule#LATE_NANOS} after their scheduled start. */
    long late;
    /** Open loop only: requests scheduled in the window and not sent by its end. */
    long missed;
    final LatencyRecorder connect = new LatencyRecorder();
    final LatencyRecorder waiting = new LatencyRecorder();
    final LatencyRecorder processing = new LatencyRecorder();
    final LatencyRecorder total = new LatencyRecorder();
    /** Open loop only: from the request's scheduled start, so time spent waiting behind a slow response counts. */
    final LatencyRecorder corrected = new LatencyRecorder();
    /** Open loop only: how long after its scheduled start each late request was sent. */
    final LatencyRecorder lateness = new LatencyRecorder();

    long failed() {
        return connectFailures + receiveFailures + lengthFailures + exceptions;
    }

    void add(LoadStats o) {
        complete += o.complete;
        connectFailures += o.connectFailures;
        receiveFailures += o.receiveFailures;
        lengthFailures += o.lengthFailures;
        exceptions += o.exceptions;
        timeouts += o.timeouts;
        non2xx += o.non2xx;
        keepAliveRequests += o.keepAliveRequests;
        connections += o.connections;
        bytesReceived += o.bytesReceived;
        bodyBytes += o.bodyBytes;
        inFlightAtEnd += o.inFlightAtEnd;
        late += o.late;
        missed += o.missed;
        connect.add(o.connect);
        waiting.add(o.waiting);
        processing.add(o.processing);
        total.add(o.total);
        corrected.add(o.corrected);
        lateness.add(o.lateness);
    }
}
