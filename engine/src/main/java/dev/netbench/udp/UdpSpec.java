package dev.netbench.udp;

import dev.netbench.host.Identity;
import dev.netbench.protocol.Fields;
import dev.netbench.protocol.ProtocolException;
import dev.netbench.protocol.TestKind;
import dev.netbench.protocol.TestSpec;

import java.util.concurrent.TimeUnit;

/**
 * A UDP test's HELLO: the common {@link TestSpec}, the sender's pacing ({@code bitsPerSecond} of UDP payload per
 * stream, 0 unpaced), the -i interval at which a receiving server reports (0: never) and whether udp_bw's ends may
 * use UDP GSO and GRO ({@code offload}; --no-gsro turns it off; a HELLO without the field: on).
 */
public record UdpSpec(TestSpec test, long bitsPerSecond, long intervalNanos, boolean offload) {
    /** Reports come at most ten times a second: the only datagrams a server sends unasked, besides a test's own. */
    public static final long MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    public static final long MAX_BITS_PER_SECOND = 1_000_000_000_000L;

    public UdpSpec {
        if (test.kind().carrier() != TestKind.Carrier.UDP) {
            throw new IllegalArgumentException(test.kind().wireName() + " is not a UDP test");
        }
        if (bitsPerSecond < 0 || bitsPerSecond > MAX_BITS_PER_SECOND) {
            throw new IllegalArgumentException("bit rate must be 0 (unpaced) to 1T bit/s");
        }
        if (intervalNanos != 0 && intervalNanos < MIN_INTERVAL_NANOS) {
            throw new IllegalArgumentException("report interval must be 0 (none) or at least 0.1 s");
        }
    }

    /** With GSO and GRO where the kernel has them. */
    public UdpSpec(TestSpec test, long bitsPerSecond, long intervalNanos) {
        this(test, bitsPerSecond, intervalNanos, true);
    }

    Fields toFields(Identity client, long nonce, String cookie) {
        Fields.Builder b = Fields.builder()
                .putAll(test.toFields(client.toFields()), "")
                .put("bits_per_second", bitsPerSecond)
                .put("interval_ns", intervalNanos)
                .put("nonce", nonce)
                .put("offload", offload);
        if (cookie != null) {
            b.put("cookie", cookie);
        }
        return b.build();
    }

    /** Parses a HELLO; anything unknown or out of range is a ProtocolException whose message becomes the REJECT reason. */
    static UdpSpec fromFields(Fields f) {
        TestSpec test = TestSpec.fromFields(f);
        try {
            String offload = f.get("offload");
            if (offload != null && !offload.equals("true") && !offload.equals("false")) {
                throw new ProtocolException("field 'offload' must be true or false");
            }
            return new UdpSpec(test, f.requireLong("bits_per_second"), f.requireLong("interval_ns"), !"false".equals(offload));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(e.getMessage());
        }
    }
}
