package dev.netbench.udp;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CookiesTest {
    private final Cookies cookies = new Cookies();
    private final InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 40000);

    @Test
    void validForItsAddressNonceAndTheNextEpoch() {
        long now = 1000 * Cookies.EPOCH_NANOS + 7;
        String c = cookies.mint(peer, 42, now);
        assertTrue(cookies.valid(c, peer, 42, now));
        assertTrue(cookies.valid(c, peer, 42, now + Cookies.EPOCH_NANOS));
        assertFalse(cookies.valid(c, peer, 42, now + 2 * Cookies.EPOCH_NANOS), "expired");
        assertFalse(cookies.valid(c, peer, 43, now), "another nonce");
        assertFalse(cookies.valid(c, new InetSocketAddress("127.0.0.1", 40001), 42, now), "another port");
        assertFalse(cookies.valid(c, new InetSocketAddress("127.0.0.2", 40000), 42, now), "another address");
    }

    @Test
    void garbageIsInvalidAndKeysDifferPerAgent() {
        long now = 5;
        assertFalse(cookies.valid(null, peer, 1, now));
        assertFalse(cookies.valid("", peer, 1, now));
        assertFalse(cookies.valid("zz".repeat(16), peer, 1, now));
        assertFalse(cookies.valid("00".repeat(16), peer, 1, now));
        assertNotEquals(cookies.mint(peer, 1, now), new Cookies().mint(peer, 1, now));
    }
}
