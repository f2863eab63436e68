package dev.netbench.tcp;

import dev.netbench.protocol.TestSpec;
import dev.netbench.session.TestEndpoint;

/** The endpoint a test kind installs on one side of a connection. */
public final class Endpoints {
    private Endpoints() {
    }

    public static TestEndpoint create(TestSpec spec, TestEndpoint.Side side) {
        return switch (spec.kind()) {
            case TCP_BW -> TcpBandwidth.endpoint(spec, side);
            case TCP_LAT -> TcpLatency.endpoint(spec, side);
            case TCP_CRR -> TcpConnectRate.endpoint(spec, side);
            case UDP_BW, UDP_LAT, MTU, HTTP -> throw new IllegalArgumentException(spec.kind().wireName() + " has no TCP endpoint");
        };
    }
}
