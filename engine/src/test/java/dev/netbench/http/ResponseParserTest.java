package dev.netbench.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseParserTest {

    /** Records what the parser reports as "head status keepAlive", "body n" (summed) and "end". */
    private static final class Events implements ResponseParser.Listener {
        final List<String> events = new ArrayList<>();
        final List<String> servers = new ArrayList<>();
        long body;

        @Override
        public void onHead(int status, boolean keepAlive) {
            events.add("head " + status + " " + keepAlive);
        }

        @Override
        public void onServer(String software) {
            servers.add(software);
        }

        @Override
        public boolean wantsServer() {
            return true;
        }

        @Override
        public void onBody(int bytes) {
            body += bytes;
        }

        @Override
        public void onComplete() {
            events.add("end " + body);
            body = 0;
        }
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static Events parse(String stream, int chunk) throws ResponseParser.HttpParseException {
        Events e = new Events();
        ResponseParser p = new ResponseParser(e);
        ByteBuf all = bytes(stream);
        while (all.isReadable()) {
            p.feed(all.readSlice(Math.min(chunk, all.readableBytes())));
        }
        return e;
    }

    private static final String STREAM = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Length: 5\r\n\r\nhello"
            + "HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, Chunked\r\n\r\n5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n"
            + "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"
            + "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\nCONNECTION: Keep-Alive\r\n\r\n"
            + "HTTP/1.0 200 OK\r\nContent-Length: 2\n\nok";

    @Test
    void aMixedStreamParsesTheSameWhateverTheSplit() throws Exception {
        List<String> expected = List.of("head 200 true", "end 5", "head 200 true", "end 15", "head 204 false", "end 0",
                "head 404 true", "end 0", "head 200 false", "end 2");
        for (int chunk = 1; chunk <= STREAM.length(); chunk = chunk < 16 ? chunk + 1 : chunk * 2) {
            Events e = parse(STREAM, chunk);
            assertEquals(expected, e.events, "chunk " + chunk);
            assertEquals(List.of("nginx/1.22.1"), e.servers);
        }
    }

    @Test
    void readsLargerThanTheParsersCopyWindowParseTheSame() throws Exception {
        // a header line and a body that straddle the 1 KiB the parser copies per step, then many responses at once
        String big = "HTTP/1.1 200 OK\r\nX-Long: " + "a".repeat(1500) + "\r\nContent-Length: 3000\r\n\r\n" + "b".repeat(3000);
        List<String> expected = new ArrayList<>(List.of("head 200 true", "end 3000"));
        for (int i = 0; i < 5; i++) {
            expected.addAll(List.of("head 200 true", "end 5", "head 200 true", "end 15", "head 204 false", "end 0",
                    "head 404 true", "end 0", "head 200 false", "end 2"));
        }
        String stream = big + STREAM.repeat(5);
        for (int chunk : new int[] {1, 7, 100, 1023, 1024, 1025, 1600, 4096, stream.length()}) {
            assertEquals(expected, parse(stream, chunk).events, "chunk " + chunk);
        }
    }

    @Test
    void bodyUntilCloseEndsAtClose() throws Exception {
        Events e = new Events();
        ResponseParser p = new ResponseParser(e);
        p.feed(bytes("HTTP/1.1 200 OK\r\n\r\nstreaming"));
        p.feed(bytes(" more"));
        assertEquals(List.of("head 200 false"), e.events, "no length: the body runs to the close, no keep-alive");
        assertTrue(p.closed());
        assertEquals(List.of("head 200 false", "end 14"), e.events);
    }

    @Test
    void closeMidResponseIsReported() throws Exception {
        ResponseParser p = new ResponseParser(new Events());
        p.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
        assertTrue(p.midResponse());
        assertFalse(p.closed());
        ResponseParser idle = new ResponseParser(new Events());
        assertTrue(idle.closed(), "closing between responses is clean");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SSH-2.0-OpenSSH_9.2\r\n", "HTTP/2 200\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", "HTTP/1.1 200OK\r\n\r\n",
            "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n",
            // found by ResponseParserFuzzTest (input "status-050"): three digits, but not a status code
            "HTTP/1.1 050 Continue\r\n\r\n", "HTTP/1.1 000 x\r\n\r\n", "HTTP/1.1 600 x\r\n\r\n"})
    void malformedResponsesAreParseErrors(String response) {
        assertThrows(ResponseParser.HttpParseException.class, () -> parse(response, 7));
    }

    @Test
    void linesAndHeaderSectionsAreBounded() {
        String longLine = "HTTP/1.1 200 OK\r\nX: " + "a".repeat(ResponseParser.MAX_LINE) + "\r\n\r\n";
        assertThrows(ResponseParser.HttpParseException.class, () -> parse(longLine, 1000));
        String manyHeaders = "HTTP/1.1 200 OK\r\n" + "X-A: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\r\n".repeat(3000) + "\r\n";
        assertThrows(ResponseParser.HttpParseException.class, () -> parse(manyHeaders, 4096));
    }
}
