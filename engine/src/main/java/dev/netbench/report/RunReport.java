package dev.netbench.report;

import dev.netbench.host.Identity;

import java.util.List;

/**
 * Everything one client run measured. {@code loopbackSelfTest} means the server ran inside the client's own
 * process: local and remote process CPU are then the same process, counted once per end. A run that failed has
 * its {@code error}, the results of the tests that finished before it, and, if the failing test had started, that
 * test's {@link Partial} counts; a complete run has neither.
 */
public record RunReport(String version, String target, boolean loopbackSelfTest, Identity local, Identity remote,
                        Settings settings, List<TestResult> results, Partial partial, String error, Calibration calibration) {

    public RunReport {
        results = List.copyOf(results);
    }

    /** Without a calibration (a run against a remote agent). */
    public RunReport(String version, String target, boolean loopbackSelfTest, Identity local, Identity remote,
                     Settings settings, List<TestResult> results, Partial partial, String error) {
        this(version, target, loopbackSelfTest, local, remote, settings, results, partial, error, null);
    }

    /** The same run with the loopback self-test's calibration. */
    public RunReport withCalibration(Calibration c) {
        return new RunReport(version, target, loopbackSelfTest, local, remote, settings, results, partial, error, c);
    }

    /**
     * netbench's own tcp_lat floor on this host, measured by the loopback self-test after its tests (1-byte messages,
     * both ends in this process): on one CPU ({@code cpuA}) and across two ({@code cpuA} and {@code cpuB}; -1 and NaN
     * on a host with one CPU). What a remote figure carries of netbench itself.
     */
    public record Calibration(int cpuA, int cpuB, double sameCpuLatencyUs, double crossCpuLatencyUs) {
    }

    public RunReport(String version, String target, boolean loopbackSelfTest, Identity local, Identity remote,
                     Settings settings, List<TestResult> results) {
        this(version, target, loopbackSelfTest, local, remote, settings, results, null, null);
    }

    /** Every test of the plan ran to its end. */
    public boolean complete() {
        return error == null;
    }

    /** A failed run that still has something to show: a finished test, or a started one. */
    public boolean hasFigures() {
        return !results.isEmpty() || partial != null;
    }

    /**
     * The options the run used, echoed into every output format. {@code localCpu}, {@code remoteCpu}: the CPUs -T pinned
     * tcp_lat's and tcp_bw's ends to, -1 for none. {@code repeat}: how many times each test was measured (--repeat).
     */
    public record Settings(double seconds, double warmupSeconds, int parallel, boolean reverse, String transport,
                           int localCpu, int remoteCpu, int repeat) {
        /** Unpinned, each test measured once. */
        public Settings(double seconds, double warmupSeconds, int parallel, boolean reverse, String transport) {
            this(seconds, warmupSeconds, parallel, reverse, transport, -1, -1, 1);
        }

        /** "local CPU 0, remote CPU 1"; null when nothing was pinned. */
        public String pinned() {
            if (localCpu < 0 && remoteCpu < 0) {
                return null;
            }
            return (localCpu >= 0 ? "local CPU " + localCpu : "") + (localCpu >= 0 && remoteCpu >= 0 ? ", " : "")
                    + (remoteCpu >= 0 ? "remote CPU " + remoteCpu : "");
        }
    }
}
