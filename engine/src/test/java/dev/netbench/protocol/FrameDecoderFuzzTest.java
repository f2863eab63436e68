package dev.netbench.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.netbench.testing.Chunks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's first parser of untrusted bytes: the preamble check and the frame decoder, and behind them the
 * field lists and a HELLO's test spec. Whatever the bytes, and however the network splits them:
 * <ul>
 *   <li>the only failure is a {@link ProtocolException} (the connection is closed with a reason), never another
 *       exception (a bug, which would escape into Netty's pipeline);</li>
 *   <li>every buffer handed to the decoder is released;</li>
 *   <li>the frames decoded do not depend on how the stream was split into reads;</li>
 *   <li>no more payload is counted than arrived, and every control frame's fields re-encode to themselves.</li>
 * </ul>
 * Regression inputs: {@code src/test/resources/dev/netbench/protocol/FrameDecoderFuzzTestInputs/frames/}.
 */
class FrameDecoderFuzzTest {

    /** What a decode produced, with DATA counts merged (how many reads they span depends on the split). */
    record Decoded(List<String> frames, long dataBytes, long dataMessages, boolean failed) {
    }

    static Decoded decode(byte[] stream, List<byte[]> reads, int maxMessage) {
        EmbeddedChannel ch = new EmbeddedChannel(new PreambleDecoder(), new FrameDecoder(maxMessage));
        List<ByteBuf> fed = new ArrayList<>();
        List<String> frames = new ArrayList<>();
        long bytes = 0;
        long messages = 0;
        boolean failed = false;
        try {
            for (byte[] read : reads) {
                if (read.length == 0) {
                    continue; // a socket read is never empty
                }
                ByteBuf in = Unpooled.copiedBuffer(read);
                fed.add(in);
                try {
                    ch.writeInbound(in);
                } catch (ProtocolException | DecoderException e) {
                    Throwable cause = e instanceof DecoderException && e.getCause() != null ? e.getCause() : e;
                    if (!(cause instanceof ProtocolException)) {
                        throw e; // a bug: only protocol errors are expected from hostile bytes
                    }
                    failed = true;
                    break;
                }
                for (Object o; (o = ch.readInbound()) != null; ) {
                    if (o instanceof DataRead d) {
                        bytes += d.bytes();
                        messages += d.messagesCompleted();
                    } else if (o instanceof ControlFrame f) {
                        frames.add(f.type() + " " + f.fields().asMap());
                        checkControl(f);
                    } else if (o instanceof TxnFrame t) {
                        frames.add("TXN " + t.size());
                        bytes += t.size();
                    } else {
                        throw new AssertionError("unexpected " + o);
                    }
                }
            }
        } finally {
            // the close decodes nothing more: no second error, no frame after a failure (both found by fuzzing)
            ch.finishAndReleaseAll();
        }
        for (ByteBuf in : fed) {
            assertEquals(0, in.refCnt(), "the decoder released every read");
        }
        assertTrue(bytes <= stream.length, "counted " + bytes + " payload bytes of " + stream.length);
        return new Decoded(frames, bytes, messages, failed);
    }

    private static void checkControl(ControlFrame f) {
        ByteBuf again = Unpooled.buffer();
        try {
            f.fields().encode(again);
            assertEquals(f.fields(), Fields.decode(again), "fields re-encode to themselves");
        } finally {
            again.release();
        }
        if (f.type() == FrameType.HELLO) {
            try {
                TestSpec.fromFields(f.fields()); // the server's next step: a spec, or a reasoned REJECT
            } catch (ProtocolException rejected) {
                // the REJECT's reason
            }
        }
    }

    @FuzzTest(maxDuration = "5m")
    void frames(byte[] stream) {
        Decoded whole = decode(stream, List.of(stream), Protocol.MAX_MESSAGE_SIZE);
        for (List<byte[]> split : Chunks.splits(stream)) {
            Decoded parts = decode(stream, split, Protocol.MAX_MESSAGE_SIZE);
            if (!whole.failed() && !parts.failed()) {
                assertEquals(whole, parts, "the same frames whatever the reads");
            } else {
                // a failure is found at the same frame; what came before it is the same
                assertEquals(whole.failed(), parts.failed(), "fails the same way whatever the reads");
            }
        }
        // a small message limit: larger DATA and TXN frames are protocol errors, nothing else
        decode(stream, List.of(stream), 100);
    }
}
