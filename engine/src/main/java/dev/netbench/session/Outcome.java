package dev.netbench.session;

import dev.netbench.report.EndFigures;

/** The end of one connection's test as the client sees it: its own figures and the server's. */
public record Outcome(EndFigures local, EndFigures remote) {
}
