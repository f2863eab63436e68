package dev.netbench.admission;

import dev.netbench.protocol.Protocol;
import dev.netbench.protocol.TestSpec;
import dev.netbench.report.Units;
import io.netty.util.internal.PlatformDependent;

import java.time.Duration;

/**
 * Everything that bounds what clients can make an agent hold, in one place (docs/security.md lists them, with
 * their server options and defaults). A request over a limit gets a REJECT, a 503 or a close whose reason
 * names the limit: {@code limit: concurrent tests (256) reached}.
 *
 * @param maxTests              tests running at once: TCP test connections (each stream of a -P test, the control
 *                              connection of tcp_crr) and UDP tests together
 * @param maxConnectionsPerAddress open connections from one client IP address, on each TCP listener (the test port
 *                              and the HTTP target), and UDP tests from one address
 * @param maxTestDuration       the longest warm-up + measured time a test may ask for
 * @param maxMessageSize        the largest message (DATA, TXN, UDP datagram, HTTP {@code /bytes/N} body) in bytes
 * @param handshakeTimeout      how long a new test connection has to send its HELLO (or TXN), a tcp_crr client to read
 *                              its answer, and an HTTP client to send a whole request once it has started one
 * @param idleTimeout           how long a test connection, a UDP test or an HTTP keep-alive connection may stay with
 *                              nothing moving in either direction before the agent closes it
 * @param maxBufferMemory       the sum of the message buffers the agent's test ends hold at once, in bytes: a test whose
 *                              server end sends (tcp_bw -R, tcp_lat) reserves its message size at HELLO until it closes
 */
public record Limits(int maxTests, int maxConnectionsPerAddress, Duration maxTestDuration, int maxMessageSize,
                     Duration handshakeTimeout, Duration idleTimeout, long maxBufferMemory) {

    public static final int DEFAULT_MAX_TESTS = 256;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 512;
    public static final int DEFAULT_MAX_TEST_SECONDS = 3600;
    public static final Duration DEFAULT_MAX_TEST_DURATION = Duration.ofSeconds(DEFAULT_MAX_TEST_SECONDS);
    public static final int DEFAULT_MAX_MESSAGE_SIZE = Protocol.MAX_MESSAGE_SIZE;
    public static final int DEFAULT_HANDSHAKE_TIMEOUT_SECONDS = 10;
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(DEFAULT_HANDSHAKE_TIMEOUT_SECONDS);
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS);
    /** The default buffer budget when the JVM's direct memory limit is unknown, and its ceiling otherwise. */
    public static final long MAX_DEFAULT_BUFFER_MEMORY = 1L << 30;

    public Limits {
        if (maxTests < 1) {
            throw new IllegalArgumentException("concurrent tests must be at least 1");
        }
        if (maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("connections per address must be at least 1");
        }
        if (maxTestDuration.toMillis() < 1 || maxTestDuration.toNanos() > 2 * TestSpec.MAX_DURATION_NANOS) {
            throw new IllegalArgumentException("test duration limit must be 0.001 s to 48 h");
        }
        if (maxMessageSize < 1 || maxMessageSize > Protocol.MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException("message size limit must be 1.." + Protocol.MAX_MESSAGE_SIZE);
        }
        if (handshakeTimeout.toMillis() < 1 || idleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("timeouts must be at least 0.001 s");
        }
        if (maxBufferMemory < Protocol.HEADER_LENGTH + 1) {
            throw new IllegalArgumentException("buffer memory must hold at least one 1-byte message");
        }
    }

    /** The documented defaults (docs/security.md). */
    public static Limits defaults() {
        return new Limits(DEFAULT_MAX_TESTS, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_MAX_TEST_DURATION,
                DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_IDLE_TIMEOUT, defaultBufferMemory());
    }

    /**
     * Half of the direct memory Netty may allocate in this JVM (the JVM's {@code -XX:MaxDirectMemorySize}, by default
     * its maximum heap), at most 1 GiB: the other half is for socket reads and writes in flight.
     */
    public static long defaultBufferMemory() {
        long direct = PlatformDependent.maxDirectMemory();
        return direct <= 0 ? MAX_DEFAULT_BUFFER_MEMORY : Math.max(Protocol.MAX_MESSAGE_SIZE + Protocol.HEADER_LENGTH,
                Math.min(MAX_DEFAULT_BUFFER_MEMORY, direct / 2));
    }

    public Limits withMaxTests(int n) {
        return new Limits(n, maxConnectionsPerAddress, maxTestDuration, maxMessageSize, handshakeTimeout, idleTimeout, maxBufferMemory);
    }

    public Limits withMaxConnectionsPerAddress(int n) {
        return new Limits(maxTests, n, maxTestDuration, maxMessageSize, handshakeTimeout, idleTimeout, maxBufferMemory);
    }

    public Limits withMaxTestDuration(Duration d) {
        return new Limits(maxTests, maxConnectionsPerAddress, d, maxMessageSize, handshakeTimeout, idleTimeout, maxBufferMemory);
    }

    public Limits withMaxMessageSize(int bytes) {
        return new Limits(maxTests, maxConnectionsPerAddress, maxTestDuration, bytes, handshakeTimeout, idleTimeout, maxBufferMemory);
    }

    public Limits withHandshakeTimeout(Duration d) {
        return new Limits(maxTests, maxConnectionsPerAddress, maxTestDuration, maxMessageSize, d, idleTimeout, maxBufferMemory);
    }

    public Limits withIdleTimeout(Duration d) {
        return new Limits(maxTests, maxConnectionsPerAddress, maxTestDuration, maxMessageSize, handshakeTimeout, d, maxBufferMemory);
    }

    public Limits withMaxBufferMemory(long bytes) {
        return new Limits(maxTests, maxConnectionsPerAddress, maxTestDuration, maxMessageSize, handshakeTimeout, idleTimeout, bytes);
    }

    /** The reason of a reject for a limit: {@code limit: <what> (<value>) <how>}. */
    public static String reason(String what, String value, String how) {
        return "limit: " + what + " (" + value + ") " + how;
    }

    static String bytes(long n) {
        return Units.msgSize(n);
    }

    /** 3600 s, 0.25 s. */
    public static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString() + " s";
    }
}
