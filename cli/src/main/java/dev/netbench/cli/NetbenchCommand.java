package dev.netbench.cli;

import dev.netbench.host.Version;
import dev.netbench.transport.Transport;
import picocli.CommandLine.Command;

/** {@code netbench}: the top-level command; does nothing itself but list its subcommands. */
@Command(name = "netbench", mixinStandardHelpOptions = true, versionProvider = NetbenchCommand.VersionInfo.class,
        subcommands = {ServerCommand.class, ClientCommand.class, MatrixCommand.class, CompareCommand.class, ReportCommand.class, MergeCommand.class},
        description = "Measures networks: TCP bandwidth and latency with message-size sweeps and CPU cost, "
                + "one agent per node, through Services and load balancers.")
final class NetbenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class VersionInfo implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{
                    "netbench " + Version.get(),
                    "protocol " + dev.netbench.protocol.Protocol.VERSION + ", transport " + Transport.best().name()
                            + ", Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }
}
