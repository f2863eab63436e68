package dev.netbench.cpu;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The host's busy CPU over the last few seconds, less this process's own, sampled from /proc/stat and
 * /proc/self/stat every {@link #PERIOD_NANOS}, so that a test can read the host's baseline over the
 * {@link #BASELINE_NANOS} before it began: what the host's other work costs. The process's own CPU is left out
 * because in that stretch it is start-up (class loading, JIT compilation), not what the host spends anyway.
 * The client leaves that stretch idle of its own traffic (it waits that long before it connects); both ends read
 * their own host's history.
 * Sampling pauses while a measured window is open in this process, so it never competes with a measured message.
 */
public final class HostCpuHistory {
    /** How long before a test its baseline reaches back, and how long the client waits idle before each test. */
    public static final long BASELINE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /**
     * 2 samples a second: an idle agent on every node pays for each (about half a millisecond of a CPU: the code
     * runs so rarely that it stays interpreted), and a baseline reaching back 0.5 to 1 s needs no finer grain.
     */
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int KEEP = 64;
    private static final HostCpuHistory SHARED = new HostCpuHistory();

    private final long periodNanos;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private final AtomicInteger openWindows = new AtomicInteger();
    private ScheduledExecutorService timer;

    private record Sample(long nanoTime, double busy) {
    }

    HostCpuHistory() {
        this(PERIOD_NANOS);
    }

    HostCpuHistory(long periodNanos) {
        this.periodNanos = periodNanos;
    }

    /** The process's history, sampling from the first call on. */
    public static HostCpuHistory shared() {
        SHARED.ensureStarted();
        return SHARED;
    }

    synchronized void ensureStarted() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "netbench-cpu-history");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(this::sample, 0, periodNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void sample() {
        if (openWindows.get() > 0) {
            return;
        }
        try {
            record(System.nanoTime(), othersBusy());
        } catch (Exception e) {
            // no /proc/stat or /proc/self/stat: readBaseline() says so
        }
    }

    synchronized void record(long now, double busy) {
        samples.addLast(new Sample(now, busy));
        while (samples.size() > KEEP) {
            samples.removeFirst();
        }
    }

    /** The host's busy CPU seconds less this process's, cumulative. */
    private static double othersBusy() throws java.io.IOException {
        return CpuSampler.readHost().busy() - CpuSampler.readProcess().total();
    }

    /** The baseline up to now, for a test starting now. */
    public Baseline.Reading readBaseline() {
        long now = System.nanoTime();
        double busyNow;
        try {
            busyNow = othersBusy();
        } catch (Exception e) {
            return new Baseline.Reading(null, "cannot read /proc/stat or /proc/self/stat: " + e.getMessage());
        }
        Baseline b = baseline(now, busyNow);
        return new Baseline.Reading(b, b != null ? null
                : "no idle stretch of " + BASELINE_NANOS / 1_000_000 + " ms before the test (another measured window was open in this process, or it started just now)");
    }

    /** A window opened: sampling pauses, and what came before is no longer a stretch next to the next test. */
    void windowOpened() {
        openWindows.incrementAndGet();
        synchronized (this) {
            samples.clear();
        }
    }

    /** A window closed: once none is open, a sample at once, so the stretch before the next test starts here. */
    void windowClosed() {
        if (openWindows.decrementAndGet() == 0) {
            ScheduledExecutorService t;
            synchronized (this) {
                t = timer;
            }
            if (t != null) {
                t.execute(this::sample);
            }
        }
    }

    /**
     * The host's busy CPU less this process's from the latest sample at least {@link #BASELINE_NANOS} old (or the oldest there is) to
     * {@code now} ({@code busyNow} read at {@code now}); null when less than half of that stretch is covered, or when
     * a window of this process was open in it (its samples were paused, and its traffic is no baseline).
     */
    synchronized Baseline baseline(long now, double busyNow) {
        Sample from = null;
        for (Sample s : samples) {
            if (now - s.nanoTime >= BASELINE_NANOS || from == null) {
                from = s;
            }
        }
        if (from == null || now - from.nanoTime < BASELINE_NANOS / 2 || now - samples.getLast().nanoTime > 3 * periodNanos) {
            return null;
        }
        return new Baseline((now - from.nanoTime) / 1e9, busyNow - from.busy);
    }
}
