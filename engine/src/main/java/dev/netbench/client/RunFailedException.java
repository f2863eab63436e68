package dev.netbench.client;

import dev.netbench.NetbenchException;
import dev.netbench.report.RunReport;

/**
 * A run that failed part-way: the one-line reason, as any {@link NetbenchException}, and the report of what it got
 * to: the finished tests, and the failing test's partial counts when it had started.
 */
public final class RunFailedException extends NetbenchException {
    private final transient RunReport report;

    RunFailedException(NetbenchException cause, RunReport report) {
        super(cause.getMessage(), cause.getCause());
        this.report = report;
    }

    public RunReport report() {
        return report;
    }
}
