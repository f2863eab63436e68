package dev.netbench.http;

import dev.netbench.report.HttpFigures;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * One of the -c concurrent clients: issues requests one after another, on one keep-alive connection while the
 * server keeps it open, on a new connection otherwise. Confined to its event loop. When -t's window ends, whatever
 * it has in flight is counted as such and dropped, not waited for.
 */
final class LoadSlot implements ResponseParser.Listener, LoadConnection.Events {
    enum Failure { CONNECT, RECEIVE, TIMEOUT, EXCEPTION }

    private final HttpLoad run;
    private final EventLoop loop;
    private final LoadStats stats;
    private final LoadStats warmupStats; // counted like the rest, read by nobody: the warm-up's figures are dropped
    private final LoadConnection.Factory connections;
    private final long intervalNanos;
    private long nextIntended;
    private LoadConnection connection;
    private ResponseParser parser;
    private boolean reusable;
    private boolean ended; // for good: the run has been told

    // the request in flight
    private LoadStats counted; // stats or warmupStats: where its figures go
    private boolean inFlight;
    private boolean scheduled; // claimed, waiting for its scheduled start (open loop)
    private boolean connecting;
    private long connectDeadline;
    private long deadline;
    private long intendedAt;
    private long startedAt;
    private long connectNanos;
    private long writtenAt;
    private long firstByteAt;
    private long readAt; // when the bytes being parsed were read: the response's last byte, if it ends in them
    private long bodyBytes;
    private int status;
    private boolean serverKeepsAlive;

    LoadSlot(HttpLoad run, EventLoop loop, LoadStats stats, LoadStats warmupStats, LoadConnection.Factory connections,
             long firstIntended, long intervalNanos) {
        this.run = run;
        this.loop = loop;
        this.stats = stats;
        this.warmupStats = warmupStats;
        this.connections = connections;
        this.nextIntended = firstIntended;
        this.intervalNanos = intervalNanos;
    }

    void start() {
        loop.execute(this::next);
    }

    private void next() {
        next(System.nanoTime());
    }

    /** Called by the run's timer on this slot's loop: fails the connect or request in flight if its time is up. */
    void checkTimeout(long now) {
        if (inFlight && connecting && now - connectDeadline >= 0) {
            fail(Failure.CONNECT);
        } else if (inFlight && now - deadline >= 0) {
            fail(Failure.TIMEOUT);
        }
    }

    /** Claims and starts the next request, at its scheduled time in an open loop; or ends this slot. */
    private void next(long now) {
        if (ended) {
            return;
        }
        if (run.windowOver(now)) {
            endWindow(); // an open loop behind its schedule sends nothing after the window: the rest is missed
            return;
        }
        if (intervalNanos > 0) {
            nextIntended = run.skipWarmupBacklog(nextIntended, intervalNanos);
        }
        // an open loop claims by its schedule: a request due after the time limit is never started
        long claimedAt = intervalNanos > 0 ? nextIntended : now;
        if (!run.claim(claimedAt)) {
            end();
            return;
        }
        counted = run.measured(claimedAt) ? stats : warmupStats;
        if (intervalNanos > 0) {
            intendedAt = nextIntended;
            nextIntended += intervalNanos;
            if (intendedAt - now > 0) {
                scheduled = true;
                loop.schedule(this::beginScheduled, intendedAt - now, TimeUnit.NANOSECONDS);
                return;
            }
        } else {
            intendedAt = now;
        }
        begin(now);
    }

    private void beginScheduled() {
        long now = System.nanoTime();
        if (ended) {
            return;
        }
        if (run.windowOver(now)) {
            endWindow();
            return;
        }
        scheduled = false;
        begin(now);
    }

    /**
     * The window has ended by the clock: a request in flight is counted as such and dropped, an open loop's starts
     * scheduled in the window and not sent as missed. Called on this slot's loop, by the slot or by the run.
     */
    void endWindow() {
        if (ended) {
            return;
        }
        if (inFlight) {
            counted.inFlightAtEnd++;
        }
        if (intervalNanos > 0) {
            stats.missed += run.scheduledInWindow(scheduled ? intendedAt : nextIntended, intervalNanos);
        }
        end();
    }

    /** Stops this slot for good, counting nothing more; on its loop. */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        inFlight = false;
        connecting = false;
        if (connection != null) {
            connection.close();
            connection = null; // what it still reports is ignored
        }
        run.slotDone();
    }

    private void begin(long now) {
        if (intervalNanos > 0 && now - intendedAt > HttpFigures.Schedule.LATE_NANOS) {
            counted.late++;
            counted.lateness.record(now - intendedAt);
        }
        startedAt = now;
        deadline = startedAt + run.requestTimeoutNanos();
        inFlight = true;
        status = 0;
        bodyBytes = 0;
        firstByteAt = 0;
        if (connection != null && reusable && connection.isOpen()) {
            connectNanos = 0;
            counted.keepAliveRequests++;
            send(now);
            return;
        }
        if (connection != null) {
            connection.close();
        }
        parser = new ResponseParser(this);
        connecting = true;
        connectDeadline = now + run.connectTimeoutNanos();
        connection = connections.newConnection(loop, this);
        connection.connect();
    }

    @Override
    public void connected(LoadConnection c) {
        if (c != connection || !inFlight) {
            return;
        }
        long connected = System.nanoTime();
        run.connectedOnce();
        if (run.windowOver(connected)) {
            endWindow();
            return;
        }
        connecting = false;
        connectNanos = connected - startedAt;
        counted.connections++;
        counted.connect.record(connectNanos);
        send(connected);
    }

    @Override
    public void connectFailed(LoadConnection c, Throwable cause) {
        if (c != connection) {
            return;
        }
        if (run.stopsAt(cause)) {
            end();
            return;
        }
        fail(Failure.CONNECT);
    }

    private void send(long now) {
        writtenAt = now;
        deadline = writtenAt + run.requestTimeoutNanos();
        connection.send();
    }

    /** Sees every received byte: the first one's arrival (ab's "waiting"), the bytes transferred, the parse. */
    @Override
    public void received(LoadConnection c, ByteBuf data, long readAt) {
        if (c != connection) {
            return; // a late answer on a connection this slot already gave up
        }
        if (run.windowOver(readAt)) {
            endWindow(); // what ends after the window is not counted, whole or not
            return;
        }
        this.readAt = readAt;
        if (inFlight && firstByteAt == 0) {
            firstByteAt = readAt;
        }
        counted.bytesReceived += data.readableBytes();
        if (!inFlight) {
            reusable = false; // bytes nobody asked for: this connection is not to be trusted
            c.close();
            return;
        }
        try {
            parser.feed(data);
        } catch (ResponseParser.HttpParseException e) {
            fail(Failure.EXCEPTION);
        }
    }

    @Override
    public void closed(LoadConnection c) {
        if (c != connection) {
            return;
        }
        reusable = false;
        ResponseParser p = parser;
        boolean clean = p.closed(); // completes a read-until-close body, which may start the next request
        if (!clean || parser == p) {
            fail(Failure.RECEIVE); // a no-op when nothing was in flight on this connection
        }
    }

    @Override
    public void failed(LoadConnection c, Throwable cause) {
        if (c == connection) {
            fail(cause instanceof IOException ? Failure.RECEIVE : Failure.EXCEPTION);
        }
    }

    @Override
    public void onHead(int status, boolean keepAlive) {
        this.status = status;
        this.serverKeepsAlive = keepAlive;
    }

    @Override
    public boolean wantsServer() {
        return run.wantsServer();
    }

    @Override
    public void onServer(String software) {
        run.noteServer(software);
    }

    @Override
    public void onBody(int bytes) {
        bodyBytes += bytes;
    }

    @Override
    public void onComplete() {
        if (!inFlight) {
            return;
        }
        long end = readAt;
        inFlight = false;
        counted.complete++;
        counted.bodyBytes += bodyBytes;
        if (status < 200 || status > 299) {
            counted.non2xx++;
        }
        if (!run.sameLengthAsFirst(bodyBytes)) {
            counted.lengthFailures++;
        }
        counted.waiting.record(firstByteAt - writtenAt);
        counted.total.record(end - startedAt);
        counted.processing.record(end - startedAt - connectNanos);
        if (intervalNanos > 0) {
            counted.corrected.record(end - intendedAt);
        }
        reusable = run.keepAlive() && serverKeepsAlive;
        next();
    }

    private void fail(Failure failure) {
        if (!inFlight) {
            return;
        }
        if (run.windowOver(System.nanoTime())) {
            endWindow(); // a failure seen after the window: in flight at its end
            return;
        }
        inFlight = false;
        connecting = false;
        switch (failure) {
            case CONNECT -> counted.connectFailures++;
            case RECEIVE -> counted.receiveFailures++;
            case TIMEOUT -> {
                counted.receiveFailures++;
                counted.timeouts++;
            }
            case EXCEPTION -> counted.exceptions++;
        }
        reusable = false;
        if (connection != null) {
            connection.close();
        }
        // deferred: a connect that fails at once must not recurse through fail() and next()
        loop.execute(this::next);
    }
}
