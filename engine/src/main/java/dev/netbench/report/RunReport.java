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
                        Settings settings, List<TestResult> results, Partial partial, String error) {

    public RunReport {
        results = List.copyOf(results);
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

    /** The options the run used, echoed into every output format. */
    public record Settings(double seconds, double warmupSeconds, int parallel, boolean reverse, String transport) {
    }
}
