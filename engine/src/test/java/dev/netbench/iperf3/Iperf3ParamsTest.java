package dev.netbench.iperf3;

import dev.netbench.json.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Iperf3ParamsTest {
    private static Iperf3Params parse(String json) {
        return Iperf3Params.parse(Json.parseObject(json));
    }

    private static int refused(String json) {
        return assertThrows(Iperf3Params.Refused.class, () -> parse(json)).code();
    }

    @Test
    void whatIperf3312Sends() {
        Iperf3Params p = parse("{\"udp\":true,\"omit\":0,\"time\":1,\"num\":0,\"blockcount\":0,\"parallel\":2,\"bidirectional\":true,"
                + "\"len\":1000,\"bandwidth\":10000000,\"pacing_timer\":1000,\"client_version\":\"3.12\"}");
        assertTrue(p.udp() && p.bidirectional());
        assertFalse(p.reverse());
        assertEquals(4, p.streamCount());
        assertEquals(1000, p.blockSize());
        assertEquals(10_000_000, p.bitsPerSecond());
        assertEquals("3.12", p.clientVersion());
        assertEquals(Iperf3Params.DEFAULT_UDP_BITS_PER_SECOND, parse("{\"udp\":true,\"time\":1,\"len\":1400}").bitsPerSecond());
    }

    @Test
    void roundTripsThroughItsOwnJson() {
        Iperf3Params p = new Iperf3Params(false, 4, true, false, 5, 1, 65536, 0, 0, 0, false, 0, false, "3.12");
        assertEquals(p, Iperf3Params.parse(Json.parseObject(p.toJson())));
    }

    @Test
    void outOfRangeIsRefusedWithIperf3sOwnCodes() {
        assertEquals(Iperf3.ERR_STREAMS, refused("{\"tcp\":true,\"time\":1,\"parallel\":129}"));
        assertEquals(Iperf3.ERR_DURATION, refused("{\"tcp\":true,\"time\":86401}"));
        assertEquals(Iperf3.ERR_BLOCK, refused("{\"tcp\":true,\"time\":1,\"len\":2000000}"));
        assertEquals(Iperf3.ERR_UDP_BLOCK, refused("{\"udp\":true,\"time\":1,\"len\":70000}"));
        assertEquals(Iperf3.ERR_NOT_IMPLEMENTED, refused("{\"sctp\":true,\"time\":1}"));
        assertEquals(Iperf3.ERR_NOT_IMPLEMENTED, refused("{\"tcp\":true,\"time\":0,\"num\":1000,\"reverse\":true}"));
        assertEquals(Iperf3.ERR_RECV_PARAMS, refused("{\"time\":1}"));
        assertEquals(Iperf3.ERR_RECV_PARAMS, refused("{\"tcp\":true,\"time\":\"ten\"}"));
        assertEquals(Iperf3.ERR_RECV_PARAMS, refused("{\"tcp\":true,\"time\":1.5}"));
        assertEquals(Iperf3.ERR_STREAMS, refused("{\"tcp\":true,\"time\":1,\"parallel\":1e300}"));
    }
}
