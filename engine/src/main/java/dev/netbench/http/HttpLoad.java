package dev.netbench.http;

import dev.netbench.NetbenchException;
import dev.netbench.cpu.CpuSampler;
import dev.netbench.cpu.CpuSnapshot;
import dev.netbench.host.Version;
import dev.netbench.report.HttpFigures;
import dev.netbench.report.HttpFigures.Phase;
import dev.netbench.transport.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The HTTP load generator that replaces ab and curl loops: -c slots issue requests on their event loops until
 * -n requests have been claimed or -t runs out; in an open loop (--rate) each slot keeps a schedule and every
 * request's latency is also measured from its scheduled start. A warm-up is the first phase of the same run, as
 * iperf3's -O: the connections, event loops and compiled code carry on into the measured window, which counts
 * only the requests started in it. -t ends the window by the clock: responses that end after it are not waited
 * for, the requests are counted as in flight at the end.
 */
public final class HttpLoad {
    private final HttpLoadSettings settings;
    private final ByteBuf request;
    private final AtomicLong remaining; // -n's budget; null without -n, sparing every request a shared atomic
    private final boolean hasDeadline;
    // set by the thread that runs the load, before measuring is set; read by the loops after they see it
    private long measureFrom;
    private long deadline;
    private volatile boolean measuring;
    private final AtomicInteger slotsLeft;
    private final CountDownLatch ended = new CountDownLatch(1); // every slot done, or the target refused
    private volatile boolean everConnected;
    private volatile boolean refused;
    private final AtomicLong firstLength = new AtomicLong(-1);
    private final AtomicReference<String> server = new AtomicReference<>();

    private HttpLoad(HttpLoadSettings settings) {
        this.settings = settings;
        this.request = requestBytes(settings);
        this.remaining = settings.requests() > 0 ? new AtomicLong(settings.requests()) : null;
        this.hasDeadline = !settings.timeLimit().isZero();
        this.slotsLeft = new AtomicInteger(settings.concurrency());
    }

    /** Ends the warm-up: requests started from {@code from} on are measured, and -t counts from it. */
    private void startMeasuring(long from) {
        measureFrom = from;
        deadline = from + settings.timeLimit().toNanos();
        measuring = true;
    }

    static ByteBuf requestBytes(HttpLoadSettings s) {
        String text = "GET " + s.path() + " HTTP/1.1\r\n"
                + "Host: " + s.hostHeader() + "\r\n"
                + "User-Agent: netbench/" + Version.get() + "\r\n"
                + "Accept: */*\r\n"
                + (s.keepAlive() ? "" : "Connection: close\r\n")
                + "\r\n";
        // direct, so the transport writes it from where it lies instead of copying it off the heap per request
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return Unpooled.directBuffer(bytes.length).writeBytes(bytes);
    }

    /**
     * Runs the load and returns its figures: with -t, right after the window ends; with -n alone, when the last
     * request has ended (bounded by the request timeout).
     */
    public static HttpFigures run(HttpLoadSettings settings) throws InterruptedException {
        return run(settings, Transport.best());
    }

    static HttpFigures run(HttpLoadSettings settings, Transport transport) throws InterruptedException {
        InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
        if (address.isUnresolved()) {
            throw new NetbenchException("cannot resolve host '" + settings.host() + "'");
        }
        int threads = settings.threads() > 0 ? settings.threads() : Runtime.getRuntime().availableProcessors();
        EventLoopGroup group = transport.newGroup(Math.min(threads, settings.concurrency()), "netbench-http");
        ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(
                new DefaultThreadFactory("netbench-http-timeouts", true));
        HttpLoad run = null;
        try {
            Map<EventLoop, LoadStats> statsByLoop = new IdentityHashMap<>();
            Map<EventLoop, LoadStats> warmupByLoop = new IdentityHashMap<>();
            List<EventLoop> loops = new ArrayList<>();
            group.forEach(e -> {
                loops.add((EventLoop) e);
                statsByLoop.put((EventLoop) e, new LoadStats());
                warmupByLoop.put((EventLoop) e, new LoadStats());
            });
            // without a warm-up the window opens before the first request; with one, the load runs on into it
            CpuSnapshot cpuStart = settings.warmup().isZero() ? CpuSampler.snapshot() : null;
            long start = cpuStart != null ? cpuStart.nanoTime() : System.nanoTime();
            run = new HttpLoad(settings);
            LoadConnection.Factory connections = loops.get(0) instanceof IoEventLoop l && EpollLoadConnection.fits(l)
                    ? EpollLoadConnection.factory(address, run.request)
                    : ChannelLoadConnection.factory(group, transport.socketChannel(), address, run.request);
            if (cpuStart != null) {
                run.startMeasuring(start);
            }
            long interval = settings.rate() > 0 ? Math.round(1e9 * settings.concurrency() / settings.rate()) : 0;
            Map<EventLoop, List<LoadSlot>> slotsByLoop = new IdentityHashMap<>();
            for (int i = 0; i < settings.concurrency(); i++) {
                EventLoop loop = loops.get(i % loops.size());
                // open loop: the c slots' schedules interleave, so requests start every 1/rate seconds overall
                long first = start + (interval > 0 ? Math.round(i * 1e9 / settings.rate()) : 0);
                LoadSlot slot = new LoadSlot(run, loop, statsByLoop.get(loop), warmupByLoop.get(loop), connections,
                        first, interval);
                slotsByLoop.computeIfAbsent(loop, l -> new ArrayList<>()).add(slot);
            }
            // one timer thread has each loop check its requests' deadlines: a timer on the loops themselves would keep
            // their scheduled-task queue non-empty, which costs every turn of every loop clock reads and a timed wait
            long tick = Math.max(1_000_000L, Math.min(100_000_000L, settings.requestTimeout().toNanos() / 10));
            timeouts.scheduleAtFixedRate(() -> slotsByLoop.forEach((loop, slots) -> loop.execute(() -> {
                long now = System.nanoTime();
                slots.forEach(s -> s.checkTimeout(now));
            })), tick, tick, TimeUnit.NANOSECONDS);
            slotsByLoop.values().forEach(slots -> slots.forEach(LoadSlot::start));
            if (cpuStart == null) {
                run.ended.await(settings.warmup().toNanos(), TimeUnit.NANOSECONDS);
                cpuStart = CpuSampler.snapshot();
                run.startMeasuring(cpuStart.nanoTime());
            }
            if (run.hasDeadline) {
                run.ended.await(run.deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } else {
                run.ended.await();
            }
            CpuSnapshot cpuEnd = CpuSampler.snapshot();
            boolean refused = run.refused;
            boolean byClock = run.windowOver(cpuEnd.nanoTime());
            LoadStats all = new LoadStats();
            // on each loop: its slots are stopped (none may connect while the loops shut down), then its stats read
            for (EventLoop loop : loops) {
                loop.submit(() -> {
                    if (refused) {
                        slotsByLoop.get(loop).forEach(LoadSlot::end);
                    } else if (byClock) {
                        slotsByLoop.get(loop).forEach(LoadSlot::endWindow);
                    }
                    all.add(statsByLoop.get(loop));
                }).sync();
            }
            if (refused) {
                throw new NetbenchException("connection to " + settings.authority() + " refused: nothing is listening there"
                        + " (stopped at the first refusal, before any connection succeeded)");
            }
            // a window -t ended lasted exactly -t, the instant completions were judged against (an open loop's slots
            // may finish a little before it: nothing is scheduled in what is left); one -n ended, until it did
            double seconds = (run.hasDeadline && (byClock || !run.budgetSpent()) ? settings.timeLimit().toNanos()
                    : cpuEnd.nanoTime() - cpuStart.nanoTime()) / 1e9;
            return new HttpFigures("http://" + settings.hostHeader() + settings.path(), run.server.get(),
                    Math.max(run.firstLength.get(), 0), settings.concurrency(), settings.keepAlive(), settings.rate(),
                    seconds, all.complete, all.failed(),
                    new HttpFigures.Failures(all.connectFailures, all.receiveFailures, all.lengthFailures, all.exceptions, all.timeouts),
                    all.inFlightAtEnd, all.non2xx, all.keepAliveRequests, all.connections, all.bytesReceived, all.bodyBytes,
                    Phase.of(all.connect), Phase.of(all.processing), Phase.of(all.waiting), Phase.of(all.total),
                    settings.rate() > 0 ? Phase.of(all.corrected) : null,
                    settings.rate() > 0 ? new HttpFigures.Schedule(all.late, all.missed, Phase.of(all.lateness)) : null,
                    cpuEnd.since(cpuStart), (settings.rate() > 0 ? all.corrected : all.total).stats());
        } finally {
            timeouts.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            if (run != null) {
                run.request.release();
            }
        }
    }

    boolean keepAlive() {
        return settings.keepAlive();
    }

    long connectTimeoutNanos() {
        return settings.connectTimeout().toNanos();
    }

    long requestTimeoutNanos() {
        return settings.requestTimeout().toNanos();
    }

    /**
     * Takes one request, to start at {@code startAt}: free in the warm-up, else from the budget; false once -n is
     * spent or -t is up by then.
     */
    boolean claim(long startAt) {
        return !measured(startAt)
                || (!hasDeadline || startAt - deadline < 0) && (remaining == null || remaining.getAndDecrement() > 0);
    }

    /** Whether a request starting at {@code startAt} is in the measured window, not the warm-up. */
    boolean measured(long startAt) {
        return measuring && startAt - measureFrom >= 0;
    }

    private boolean budgetSpent() {
        return remaining != null && remaining.get() <= 0;
    }

    /** Whether -t's window has ended by {@code at}: nothing that happens from then on is counted. */
    boolean windowOver(long at) {
        return hasDeadline && measuring && at - deadline >= 0;
    }

    /**
     * An open loop's next start, past those the warm-up left unsent: the window's schedule starts on time at its
     * edge, instead of the window spending itself on the warm-up's backlog (which no figure counts).
     */
    long skipWarmupBacklog(long next, long interval) {
        return measuring && next - measureFrom < 0 ? next + ceilDiv(measureFrom - next, interval) * interval : next;
    }

    /** How many of a schedule's starts, {@code first} + k × {@code interval} (k ≥ 0), fall in the measured window. */
    long scheduledInWindow(long first, long interval) {
        long from = first - measureFrom >= 0 ? 0 : ceilDiv(measureFrom - first, interval);
        long to = deadline - first > 0 ? ceilDiv(deadline - first, interval) : 0;
        return Math.max(0, to - from);
    }

    private static long ceilDiv(long positive, long divisor) {
        return (positive + divisor - 1) / divisor;
    }

    void connectedOnce() {
        if (!everConnected) {
            everConnected = true; // a write only the first time: every connect reads it
        }
    }

    /**
     * As ab: a target that refuses before any connection of the run has succeeded has nothing listening, and
     * retrying it for the whole run would only count refusals. True if {@code connectFailure} stops the run.
     */
    boolean stopsAt(Throwable connectFailure) {
        if (everConnected || !(connectFailure instanceof ConnectException) || connectFailure.getMessage() == null
                || !connectFailure.getMessage().contains("refused")) {
            return false;
        }
        refused = true;
        ended.countDown();
        return true;
    }

    void slotDone() {
        if (slotsLeft.decrementAndGet() == 0) {
            ended.countDown();
        }
    }

    /** ab's length check: the first complete response sets the expected body length. */
    boolean sameLengthAsFirst(long length) {
        long first = firstLength.get(); // read first: after the first response, a compare-and-set per request is waste
        return first == length || first == -1 && (firstLength.compareAndSet(-1, length) || firstLength.get() == length);
    }

    void noteServer(String software) {
        server.compareAndSet(null, software);
    }

    boolean wantsServer() {
        return server.get() == null;
    }
}
