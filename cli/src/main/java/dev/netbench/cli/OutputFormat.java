package dev.netbench.cli;

import dev.netbench.client.ClientSettings;
import dev.netbench.protocol.TestKind;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** What the client prints: text unless one of these. */
final class OutputFormat {
    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @Option(names = "--csv", description = "Print CSV, one row per test and message size.")
    boolean csv;

    @Option(names = "--json-iperf3", description = "Print one bandwidth test (--tcp-bw or --udp-bw) as iperf3 -J does, for parsers of iperf3's JSON.")
    boolean jsonIperf3;

    @Option(names = "--json-stream", description = "Print newline-delimited JSON as the run goes (iperf3 3.17's --json-stream): "
            + "an interval event per -i interval, a result event per test as it ends (--json's result object), "
            + "then an end event holding the whole --json document.")
    boolean jsonStream;

    /** iperf3's JSON holds one run of one bandwidth test, at one size, in one direction. */
    void check(ClientSettings settings, CommandSpec spec) {
        if (!jsonIperf3) {
            return;
        }
        String problem = settings.tests().size() != 1 || settings.sizes().size() > 1
                || (settings.tests().get(0) != TestKind.TCP_BW && settings.tests().get(0) != TestKind.UDP_BW)
                ? "--json-iperf3 writes one bandwidth test: use it with --tcp-bw or --udp-bw alone, at one message size"
                : settings.repeat() > 1 ? "--json-iperf3 writes one run of one test: use --json with --repeat"
                : settings.bidir() ? "--json-iperf3 writes one direction: use --json for a --bidir run" : null;
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), problem);
        }
    }
}
