package dev.netbench.client;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Errors keep the operating system's words, without Netty's native-call prefixes. */
class ClientReasonTest {
    @Test
    void nativePrefixesAreDropped() {
        assertEquals("Connection refused", Client.reason(new IOException("finishConnect(..) failed: Connection refused")));
        assertEquals("Connection reset by peer",
                Client.reason(new IOException("recvAddress(..) failed with error(-104): Connection reset by peer")));
        assertEquals("plain words", Client.reason(new IOException("plain words")));
    }
}
