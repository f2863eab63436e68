package dev.netbench.cli;

import dev.netbench.admission.Limits;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.time.Duration;

/** The server's limits as options (docs/security.md); every one has a default that suits an agent on every node. */
final class LimitOptions {
    @Option(names = "--max-tests", paramLabel = "N",
            description = "Tests running at once: TCP test connections (each -P stream) and UDP tests together (default: ${DEFAULT-VALUE}).")
    int maxTests = Limits.DEFAULT_MAX_TESTS;

    @Option(names = "--max-conns-per-ip", paramLabel = "N",
            description = "Open connections from one client IP address on each TCP port, and UDP tests from one address (default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerAddress = Limits.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;

    @Option(names = "--max-test-time", paramLabel = "SECONDS", converter = Converters.Seconds.class,
            defaultValue = "" + Limits.DEFAULT_MAX_TEST_SECONDS,
            description = "Longest warm-up + measured time a test may ask for (default: ${DEFAULT-VALUE}).")
    Duration maxTestTime;

    @Option(names = "--max-msg", paramLabel = "SIZE", defaultValue = "16M", converter = Converters.Size.class,
            description = "Largest message a test may use, and largest GET /bytes/N (default: ${DEFAULT-VALUE}, the protocol's maximum).")
    int maxMessage;

    @Option(names = "--handshake-timeout", paramLabel = "SECONDS", converter = Converters.Seconds.class,
            defaultValue = "" + Limits.DEFAULT_HANDSHAKE_TIMEOUT_SECONDS,
            description = "Time a new connection has to send its HELLO, and an HTTP client a whole request once begun (default: ${DEFAULT-VALUE}).")
    Duration handshakeTimeout;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", converter = Converters.Seconds.class,
            defaultValue = "" + Limits.DEFAULT_IDLE_TIMEOUT_SECONDS,
            description = "Close a test connection, UDP test or HTTP keep-alive connection after this long with nothing moving (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--max-buffer-memory", paramLabel = "SIZE", converter = Converters.Memory.class,
            description = "Message buffers all running tests may hold together, e.g. 256M (default: half the JVM's direct memory, at most 1G).")
    Long maxBufferMemory;

    Limits limits(CommandLine cmd) {
        try {
            if (maxTests < 1 || maxTests > 1_000_000) {
                throw new IllegalArgumentException("--max-tests must be 1..1000000");
            }
            if (maxConnectionsPerAddress < 1 || maxConnectionsPerAddress > 1_000_000) {
                throw new IllegalArgumentException("--max-conns-per-ip must be 1..1000000");
            }
            long buffers = maxBufferMemory == null ? Limits.defaultBufferMemory() : maxBufferMemory;
            if (buffers < maxMessage + 5L) {
                throw new IllegalArgumentException("--max-buffer-memory must hold at least one message of --max-msg ("
                        + maxMessage + " bytes)");
            }
            return new Limits(maxTests, maxConnectionsPerAddress, maxTestTime, maxMessage, handshakeTimeout, idleTimeout, buffers);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, e.getMessage());
        }
    }
}
