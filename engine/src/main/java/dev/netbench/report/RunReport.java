package dev.netbench.report;

import dev.netbench.host.Identity;

import java.util.List;

/**
 * Everything one client run measured. {@code loopbackSelfTest} means the server ran inside the client's own
 * process: local and remote process CPU are then the same process, counted once per end.
 */
public record RunReport(String version, String target, boolean loopbackSelfTest, Identity local, Identity remote,
                        Settings settings, List<TestResult> results) {

    public RunReport {
        results = List.copyOf(results);
    }

    /** The options the run used, echoed into every output format. */
    public record Settings(double seconds, double warmupSeconds, int parallel, boolean reverse, String transport) {
    }
}
