package dev.netbench.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.netbench.testing.Chunks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load generator's HTTP/1.x response parser, which reads whatever the server under test (any server, not only
 * an agent) sends. Whatever the bytes and however they are split into reads: the only failure is an
 * {@link ResponseParser.HttpParseException} (the connection is counted as failed), never another exception; no
 * more body is counted than arrived; and the responses parsed do not depend on the split.
 * Regression inputs: {@code src/test/resources/dev/netbench/http/ResponseParserFuzzTestInputs/responses/}.
 */
class ResponseParserFuzzTest {

    /** The events of one parse, in order, with body bytes summed between them (their split follows the reads). */
    static final class Events implements ResponseParser.Listener {
        final List<String> events = new ArrayList<>();
        long body;
        long pendingBody;
        int heads;
        int completes;

        @Override
        public void onHead(int status, boolean keepAlive) {
            flushBody();
            heads++;
            assertTrue(status >= 100 && status <= 599, "status " + status);
            events.add("head " + status + " " + keepAlive);
        }

        @Override
        public void onServer(String software) {
            flushBody();
            events.add("server " + software);
        }

        @Override
        public boolean wantsServer() {
            return true;
        }

        @Override
        public void onBody(int bytes) {
            assertTrue(bytes >= 0, "negative body " + bytes);
            body += bytes;
            pendingBody += bytes;
        }

        @Override
        public void onComplete() {
            flushBody();
            completes++;
            assertTrue(completes <= heads, "a response completed before its head");
            events.add("complete");
        }

        void flushBody() {
            if (pendingBody > 0) {
                events.add("body " + pendingBody);
                pendingBody = 0;
            }
        }
    }

    static Events parse(byte[] stream, List<byte[]> reads) {
        Events events = new Events();
        ResponseParser parser = new ResponseParser(events);
        boolean failed = false;
        for (byte[] read : reads) {
            ByteBuf in = Unpooled.wrappedBuffer(read);
            try {
                parser.feed(in);
            } catch (ResponseParser.HttpParseException e) {
                events.flushBody();
                events.events.add("error");
                failed = true;
                break;
            } finally {
                in.release();
            }
        }
        if (!failed) {
            events.flushBody();
            events.events.add("closed " + parser.closed());
        }
        assertTrue(events.body <= stream.length, events.body + " body bytes of " + stream.length);
        return events;
    }

    @FuzzTest(maxDuration = "5m")
    void responses(byte[] stream) {
        Events whole = parse(stream, List.of(stream));
        for (List<byte[]> split : Chunks.splits(stream)) {
            Events parts = parse(stream, split);
            if (!whole.events.contains("error") && !parts.events.contains("error")) {
                assertEquals(whole.events, parts.events, "the same responses whatever the reads");
            }
            assertEquals(whole.events.contains("error"), parts.events.contains("error"), "fails the same way whatever the reads");
        }
    }
}
