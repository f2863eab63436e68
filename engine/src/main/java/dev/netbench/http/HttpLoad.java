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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The HTTP load generator that replaces ab and curl loops: -c slots issue requests on their event loops until
 * -n requests have been claimed or -t runs out; in an open loop (--rate) each slot keeps a schedule and every
 * request's latency is also measured from its scheduled start. A warm-up is the first phase of the same run, as
 * iperf3's -O: the connections, event loops and compiled code carry on into the measured window, which counts
 * only the requests started in it.
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
    private final CountDownLatch slotsDone;
    private final AtomicLong firstLength = new AtomicLong(-1);
    private final AtomicReference<String> server = new AtomicReference<>();

    private HttpLoad(HttpLoadSettings settings) {
        this.settings = settings;
        this.request = requestBytes(settings);
        this.remaining = settings.requests() > 0 ? new AtomicLong(settings.requests()) : null;
        this.hasDeadline = !settings.timeLimit().isZero();
        this.slotsDone = new CountDownLatch(settings.concurrency());
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

    /** Runs the load and returns its figures; returns within the time limit plus one request timeout. */
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
                run.slotsDone.await(settings.warmup().toNanos(), TimeUnit.NANOSECONDS);
                cpuStart = CpuSampler.snapshot();
                run.startMeasuring(cpuStart.nanoTime());
            }
            long limit = settings.timeLimit().isZero() ? Long.MAX_VALUE
                    : settings.timeLimit().toNanos() + 2 * settings.requestTimeout().toNanos();
            if (!run.slotsDone.await(limit, TimeUnit.NANOSECONDS)) {
                throw new NetbenchException("HTTP load did not finish within its time limit");
            }
            CpuSnapshot cpuEnd = CpuSampler.snapshot();
            LoadStats all = new LoadStats();
            // each loop's stats are read on that loop, after its slots have finished
            for (EventLoop loop : loops) {
                loop.submit(() -> all.add(statsByLoop.get(loop))).sync();
            }
            return new HttpFigures("http://" + settings.hostHeader() + settings.path(), run.server.get(),
                    Math.max(run.firstLength.get(), 0), settings.concurrency(), settings.keepAlive(), settings.rate(),
                    (cpuEnd.nanoTime() - cpuStart.nanoTime()) / 1e9, all.complete, all.failed(),
                    new HttpFigures.Failures(all.connectFailures, all.receiveFailures, all.lengthFailures, all.exceptions, all.timeouts),
                    all.non2xx, all.keepAliveRequests, all.connections, all.bytesReceived, all.bodyBytes,
                    Phase.of(all.connect), Phase.of(all.processing), Phase.of(all.waiting), Phase.of(all.total),
                    settings.rate() > 0 ? Phase.of(all.corrected) : null, cpuEnd.since(cpuStart));
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

    void slotDone() {
        slotsDone.countDown();
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
