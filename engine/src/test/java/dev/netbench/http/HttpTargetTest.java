package dev.netbench.http;

import dev.netbench.server.NetbenchServer;
import dev.netbench.server.ServerOptions;
import dev.netbench.testing.RawSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent's HTTP target spoken to over a raw socket, byte for byte. */
class HttpTargetTest {
    private static NetbenchServer agent;

    @BeforeAll
    static void start() throws InterruptedException {
        agent = NetbenchServer.start(ServerOptions.loopback(), line -> { });
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    /** Sends {@code request}, half-closes, and returns everything the target answers until it closes. */
    private static String exchange(String request) throws IOException {
        byte[] answer = RawSocket.exchange(agent.httpAddress().getPort(), request.getBytes(StandardCharsets.ISO_8859_1), true);
        return new String(answer, StandardCharsets.ISO_8859_1);
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void rootHealthAndPipelinedKeepAlive() throws IOException {
        String r = exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(2, count(r, "HTTP/1.1 200 OK\r\n"), r);
        assertTrue(r.contains("Content-Length: " + TargetResponses.ROOT_BODY.length() + "\r\n"), r);
        assertTrue(r.contains("\r\n\r\n" + TargetResponses.ROOT_BODY + "HTTP/1.1"), "body then the next response: " + r);
        assertTrue(r.endsWith("\r\n\r\nok\n"), r);
        assertEquals(2, count(r, "Connection: keep-alive"), r);
    }

    @Test
    void bytesBodyIsExactlyN() throws IOException {
        for (int n : new int[]{0, 1, 65535, 65536, 65537, 300_000}) {
            String r = exchange("GET /bytes/" + n + " HTTP/1.1\r\nHost: x\r\n\r\n");
            int head = r.indexOf("\r\n\r\n") + 4;
            assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"), r);
            assertTrue(r.contains("Content-Length: " + n + "\r\n"));
            assertEquals(n, r.length() - head, "body of /bytes/" + n);
        }
    }

    @Test
    void headHasHeadersButNoBody() throws IOException {
        String r = exchange("HEAD /bytes/1000 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(r.contains("Content-Length: 1000\r\n"), r);
        assertTrue(r.endsWith("\r\n\r\n"), r);
    }

    @Test
    void http10WithoutKeepAliveIsClosedAfterOneResponse() throws IOException {
        String r = exchange("GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\n\r\n");
        assertEquals(1, count(r, "HTTP/1.1 200 OK"), r);
        assertTrue(r.contains("Connection: close"), r);
    }

    @Test
    void errorsAreAnsweredAndBounded() throws IOException {
        assertTrue(exchange("GET /bytes/16777217 HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 400 "));
        assertTrue(exchange("GET /bytes/12ab HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 400 "));
        assertTrue(exchange("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 404 "));
        String post = exchange("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\nGET / HTTP/1.1\r\n\r\n");
        assertTrue(post.startsWith("HTTP/1.1 405 ") && post.contains("Connection: close"), post);
        assertEquals(1, count(post, "HTTP/1.1"), "closed after the 405");
        String garbage = exchange("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u00fc\u0003\u0003 not http at all\r\n\r\n");
        assertTrue(garbage.isEmpty() || garbage.startsWith("HTTP/1.1 400 "), garbage);
        String hugeHeader = exchange("GET / HTTP/1.1\r\nX: " + "a".repeat(20_000) + "\r\n\r\n");
        assertTrue(hugeHeader.isEmpty() || hugeHeader.startsWith("HTTP/1.1 400 "), hugeHeader.substring(0, Math.min(100, hugeHeader.length())));
        assertTrue(exchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").endsWith("ok\n"), "still serving");
    }
}
