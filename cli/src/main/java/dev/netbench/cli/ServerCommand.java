package dev.netbench.cli;

import dev.netbench.NetbenchException;
import dev.netbench.host.Version;
import dev.netbench.protocol.Protocol;
import dev.netbench.admission.Limits;
import dev.netbench.server.NetbenchServer;
import dev.netbench.auth.Token;
import dev.netbench.server.ServerOptions;
import dev.netbench.transport.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

@Command(name = "server", mixinStandardHelpOptions = true, versionProvider = NetbenchCommand.VersionInfo.class,
        description = "Serve netbench tests on one TCP port: any number of clients and tests at once. "
                + "Logs one line per test served.")
final class ServerCommand implements Callable<Integer> {
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "TCP port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port = Protocol.DEFAULT_PORT;

    @Option(names = {"-B", "--bind"}, paramLabel = "ADDR", description = "Address to bind: an IPv4/IPv6 address or host name (default: all addresses).")
    String bind;

    @Option(names = "--http-port", paramLabel = "PORT", description = "Port of the HTTP target: GET /, /bytes/N, /healthz (default: ${DEFAULT-VALUE}).")
    int httpPort = ServerOptions.DEFAULT_HTTP_PORT;

    @Option(names = "--threads", paramLabel = "N", description = "Event-loop threads (default: one per CPU).")
    int threads;

    @picocli.CommandLine.Mixin
    TokenOption token;

    @Option(names = "--require-token", description = "Every test must prove the token, not only remote-driven ones.")
    boolean requireToken;

    @picocli.CommandLine.Mixin
    LimitOptions limits;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        for (int p : new int[]{port, httpPort}) {
            if (p < 0 || p > 65535) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "port " + p + " outside 0..65535");
            }
        }
        if (port == httpPort && port != 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--port and --http-port must differ");
        }
        if (threads < 0 || threads > 1024) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threads must be 0..1024");
        }
        Token secret = token.resolve(spec);
        if (requireToken && secret == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--require-token needs a token: --token-file FILE or " + Token.ENV);
        }
        Limits serverLimits = limits.limits(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        InetAddress address = null;
        if (bind != null) {
            try {
                address = InetAddress.getByName(bind);
            } catch (UnknownHostException e) {
                throw new NetbenchException("cannot resolve bind address '" + bind + "'");
            }
        }
        DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        NetbenchServer server = NetbenchServer.start(new ServerOptions(address, port, httpPort, threads, secret, requireToken), serverLimits, line -> {
            synchronized (out) {
                out.println(LocalDateTime.now().format(time) + " " + line);
                out.flush();
            }
        });
        // SIGTERM (a pod's deletion): stop accepting, abort running tests with a reason, exit well within the
        // 30 s grace period Kubernetes gives by default
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            int aborted = server.shutdown("agent shutting down (SIGTERM)", SHUTDOWN_GRACE);
            synchronized (out) {
                out.println(LocalDateTime.now().format(time) + " event=shutdown aborted_tests=" + aborted);
                out.flush();
            }
        }, "netbench-shutdown"));
        out.printf("netbench server %s listening on %s port %d, HTTP target on port %d (%s; %s)%n", Version.get(),
                server.address().getAddress().getHostAddress(), server.address().getPort(), server.httpAddress().getPort(),
                Transport.best().name(), secret == null ? "no token: remote-driven tests refused"
                        : requireToken ? "token required for every test" : "token required for remote-driven tests");
        out.flush();
        server.awaitClose();
        return 0;
    }
}
