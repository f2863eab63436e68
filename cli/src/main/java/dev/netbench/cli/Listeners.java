package dev.netbench.cli;

import dev.netbench.client.ClientSettings;
import dev.netbench.client.RunListener;
import dev.netbench.host.Version;
import dev.netbench.latency.HdrLog;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.Interval;
import dev.netbench.report.JsonReport;
import dev.netbench.report.TestResult;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the client command hears while a run goes: --json-stream's events, --hdr-log's histograms, beside progress lines. */
final class Listeners {
    private Listeners() {
    }

    /** --json-stream: each interval and each test's result on {@code out} as it happens; progress lines go to {@code progress}. */
    static RunListener streaming(RunListener progress, PrintWriter out) {
        return new RunListener() {
            @Override
            public void progress(String line) {
                progress.progress(line);
            }

            @Override
            public void interval(Interval interval) {
                emit(JsonReport.event(interval));
            }

            @Override
            public void result(TestResult result) {
                emit(JsonReport.event(result));
            }

            private void emit(String event) {
                synchronized (out) {
                    out.print(event);
                    out.flush();
                }
            }
        };
    }

    /** {@code to}, with each interval's latency histogram written to {@code log} as well. */
    static RunListener logging(RunListener to, HdrLog log) {
        return new RunListener() {
            @Override
            public void progress(String line) {
                to.progress(line);
            }

            @Override
            public void interval(Interval interval) {
                to.interval(interval);
            }

            @Override
            public void result(TestResult result) {
                to.result(result);
            }

            @Override
            public void histogram(TestKind test, int msgSize, Interval interval, org.HdrHistogram.Histogram histogram) {
                log.write(test.wireName(), msgSize, interval.warmup(), interval.start(), interval.end(), histogram);
            }
        };
    }

    /** --hdr-log's file ({@code path}, null: none), opened before the run: an unwritable path is a usage error, not a lost run. */
    static HdrLog hdrLog(Path path, ClientSettings settings, CommandSpec spec) {
        if (path == null) {
            return null;
        }
        if (settings.interval().isZero()) {
            throw new ParameterException(spec.commandLine(), "--hdr-log writes each -i interval's histogram: give -i SECONDS");
        }
        if (settings.tests().stream().noneMatch(TestKind::isLatency)) {
            throw new ParameterException(spec.commandLine(), "--hdr-log writes latency histograms: use it with --tcp-lat, --udp-lat or --tcp-crr");
        }
        try {
            return new HdrLog(Files.newOutputStream(path), "netbench " + Version.get()
                    + " client: latency histograms of each -i interval, in nanoseconds");
        } catch (IOException | RuntimeException e) {
            throw new ParameterException(spec.commandLine(), "--hdr-log: cannot write " + path + ": " + e.getMessage());
        }
    }
}
