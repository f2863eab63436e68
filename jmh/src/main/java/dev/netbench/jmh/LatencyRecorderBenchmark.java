package dev.netbench.jmh;

import dev.netbench.latency.LatencyRecorder;
import dev.netbench.latency.RttFigures;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@link LatencyRecorder}: {@code record} is on the tcp_lat client's path once per round trip;
 * {@code stats} runs once per test on the merged recorder.
 */
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class LatencyRecorderBenchmark {
    /** Power of two, so the sample index wraps with a mask. 512 KiB of samples, read sequentially. */
    static final int SAMPLES = 1 << 16;
    static final int STATS_SAMPLES = 1_000_000;

    /**
     * RTTs in ns shaped like a pod-to-pod tcp_lat run: 99 % between 20 and 200 µs, 0.9 % between 200 µs and
     * 2 ms, 0.1 % between 2 and 50 ms (scheduling hiccups, retransmits). Fixed seed: every fork sees the same values.
     */
    static long[] rtts(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            double p = random.nextDouble();
            long micros;
            if (p < 0.99) {
                micros = random.nextLong(20, 200);
            } else if (p < 0.999) {
                micros = random.nextLong(200, 2_000);
            } else {
                micros = random.nextLong(2_000, 50_000);
            }
            values[i] = micros * 1_000 + random.nextLong(1_000);
        }
        return values;
    }

    @State(Scope.Thread)
    public static class Recording {
        long[] samples;
        int next;
        LatencyRecorder recorder;

        @Setup(Level.Trial)
        public void setUp() {
            samples = rtts(SAMPLES, 42);
            // One recorder for the whole trial, as one long test: counts are longs, they do not overflow.
            recorder = new LatencyRecorder();
        }
    }

    /** One op = one {@code record(rtt)} (plus one array load and index increment to pick the sample). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void record(Recording s) {
        // The recorder is reachable from the state, so its updates cannot be eliminated.
        s.recorder.record(s.samples[s.next++ & (SAMPLES - 1)]);
    }

    @State(Scope.Thread)
    public static class Filled {
        LatencyRecorder recorder;

        @Setup(Level.Trial)
        public void setUp() {
            recorder = new LatencyRecorder();
            for (long v : rtts(STATS_SAMPLES, 7)) {
                recorder.record(v);
            }
            if (recorder.count() != STATS_SAMPLES) {
                throw new IllegalStateException("recorder holds " + recorder.count() + " samples");
            }
        }
    }

    /** One op = {@code stats()} (min, mean, p50/p90/p99/p99.9, max) of a recorder holding 1e6 samples. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public RttFigures stats(Filled s) {
        return s.recorder.stats();
    }
}
