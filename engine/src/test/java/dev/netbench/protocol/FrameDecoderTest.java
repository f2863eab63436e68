package dev.netbench.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameDecoderTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    /** MARK, {@code count} messages of {@code size} bytes, END, RESULT: a small but complete stream. */
    private static ByteBuf stream(int size, int count) {
        ByteBuf s = Unpooled.buffer();
        append(s, Protocol.control(ALLOC, FrameType.MARK, Fields.EMPTY));
        for (int i = 0; i < count; i++) {
            append(s, Protocol.message(size));
        }
        append(s, Protocol.control(ALLOC, FrameType.END, Fields.EMPTY));
        append(s, Protocol.control(ALLOC, FrameType.RESULT, Fields.builder().put("bytes", (long) size * count).build()));
        return s;
    }

    private static ByteBuf stream() {
        return stream(1000, 3);
    }

    private static FrameDecoder messages(int size) {
        FrameDecoder d = new FrameDecoder();
        d.expectMessages(size);
        return d;
    }

    private static void append(ByteBuf to, ByteBuf frame) {
        to.writeBytes(frame);
        frame.release();
    }

    /** Reduces decoder output to a comparable transcript; adjacent DataReads are summed. */
    private static List<String> transcript(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        long bytes = 0;
        int messages = 0;
        for (Object o; (o = ch.readInbound()) != null; ) {
            if (o instanceof DataRead d) {
                bytes += d.bytes();
                messages += d.messagesCompleted();
            } else {
                if (bytes > 0) {
                    out.add("DATA " + bytes + "/" + messages);
                    bytes = 0;
                    messages = 0;
                }
                out.add(o instanceof TxnFrame t ? "TXN " + t.size() : ((ControlFrame) o).type() + " " + ((ControlFrame) o).fields().asMap());
            }
        }
        if (bytes > 0) {
            out.add("DATA " + bytes + "/" + messages);
        }
        return out;
    }

    @Test
    void decodesAWholeStreamInOrder() {
        EmbeddedChannel ch = new EmbeddedChannel(messages(1000));
        ch.writeInbound(stream());
        assertEquals(List.of("MARK {}", "DATA 3000/3", "END {}", "RESULT {bytes=3000}"), transcript(ch));
    }

    @Test
    void sameResultWhateverTheSplit() {
        for (int size : new int[]{1, 5, 1000}) {
            ByteBuf whole = stream(size, 3000 / size);
            List<String> expected = List.of("MARK {}", "DATA 3000/" + 3000 / size, "END {}", "RESULT {bytes=3000}");
            for (int chunk : new int[]{1, 2, 3, 5, 7, 64, 999, 1001}) {
                EmbeddedChannel ch = new EmbeddedChannel(messages(size));
                for (int i = 0; i < whole.readableBytes(); i += chunk) {
                    ch.writeInbound(whole.retainedSlice(i, Math.min(chunk, whole.readableBytes() - i)));
                    assertEquals(1, whole.refCnt(), "decoder must release what it reads");
                }
                assertEquals(expected, transcript(ch), "size " + size + ", chunk " + chunk);
            }
            whole.release();
        }
    }

    @Test
    void aMessageIsItsPayloadAloneOnTheWire() {
        ByteBuf m = Protocol.message(1);
        assertEquals(1, m.readableBytes());
        assertEquals(0, m.getByte(0));
        m.release();
        ByteBuf whole = stream(1, 10_000);
        // MARK, END and RESULT frames are all that is not payload
        int frames = 0;
        for (ByteBuf f : List.of(Protocol.control(ALLOC, FrameType.MARK, Fields.EMPTY), Protocol.control(ALLOC, FrameType.END, Fields.EMPTY),
                Protocol.control(ALLOC, FrameType.RESULT, Fields.builder().put("bytes", 10_000L).build()))) {
            frames += f.readableBytes();
            f.release();
        }
        assertEquals(10_000 + frames, whole.readableBytes());
        whole.release();
    }

    @Test
    void aZeroByteIsNoFrameUntilMessagesAreExpected() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> new EmbeddedChannel(new FrameDecoder()).writeInbound(Protocol.message(8)));
        assertEquals("unknown frame type 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(1000).expectMessages(1001));
        assertThrows(IllegalArgumentException.class, () -> new FrameDecoder().expectMessages(0));
    }

    @Test
    void txnFramesComeWholeWithTheirSizeWhateverTheSplit() {
        ByteBuf whole = Unpooled.buffer();
        Protocol.appendTransaction(whole, 1);
        Protocol.appendTransaction(whole, 70_000);
        List<String> expected = List.of("TXN 1", "TXN 70000");
        for (int chunk : new int[]{1, 4, 5, 6, 9, 1000, whole.readableBytes()}) {
            EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
            for (int i = 0; i < whole.readableBytes(); i += chunk) {
                ch.writeInbound(whole.retainedSlice(i, Math.min(chunk, whole.readableBytes() - i)));
            }
            assertEquals(expected, transcript(ch), "chunk " + chunk);
        }
        whole.release();
    }

    @Test
    void truncatedFrameWaitsWithoutEmitting() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
        ByteBuf frame = Protocol.control(ALLOC, FrameType.RESULT, Fields.builder().put("k", "v").build());
        ch.writeInbound(frame.readRetainedSlice(frame.readableBytes() - 1));
        assertNull(ch.readInbound());
        ch.writeInbound(frame);
        assertInstanceOf(ControlFrame.class, ch.readInbound());
    }

    @Test
    void oversizedControlFrameIsRejectedBeforeItsBodyArrives() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
        ByteBuf header = Unpooled.buffer().writeByte(FrameType.HELLO.code()).writeInt(Protocol.MAX_CONTROL_BODY + 1);
        ProtocolException e = assertThrows(ProtocolException.class, () -> ch.writeInbound(header));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    }

    @Test
    void oversizedAndEmptyTxnFramesAreRejected() {
        for (int length : new int[]{Protocol.MAX_MESSAGE_SIZE + 1, 0, -1}) {
            ByteBuf header = Unpooled.buffer().writeByte(FrameType.TXN.code()).writeInt(length);
            ProtocolException e = assertThrows(ProtocolException.class, () -> new EmbeddedChannel(new FrameDecoder()).writeInbound(header));
            assertTrue(e.getMessage().startsWith("TXN frame of "), e.getMessage());
        }
    }

    @Test
    void unknownTypeAndGarbageAreRejected() {
        for (int type : new int[]{0, 7, 8, 0x47, 255}) {
            ByteBuf garbage = Unpooled.buffer().writeByte(type).writeInt(4).writeInt(0);
            assertThrows(ProtocolException.class, () -> new EmbeddedChannel(new FrameDecoder()).writeInbound(garbage), "type " + type);
        }
        ByteBuf http = Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", java.nio.charset.StandardCharsets.US_ASCII);
        assertThrows(ProtocolException.class, () -> new EmbeddedChannel(new FrameDecoder()).writeInbound(http));
    }

    @Test
    void malformedControlBodyIsRejected() {
        ByteBuf bad = Unpooled.buffer().writeByte(FrameType.RESULT.code()).writeInt(3).writeShort(1).writeByte(9);
        assertThrows(ProtocolException.class, () -> new EmbeddedChannel(new FrameDecoder()).writeInbound(bad));
    }

    @Test
    void afterAnErrorTheDecoderDropsEverythingAndReleases() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
        assertThrows(ProtocolException.class, () -> ch.writeInbound(Unpooled.buffer().writeByte(99).writeInt(0)));
        ByteBuf more = stream();
        ch.writeInbound(more);
        assertEquals(0, more.refCnt());
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void controlFrameLargerThanLimitCannotBeBuilt() {
        Fields.Builder b = Fields.builder();
        for (int i = 0; i < 3; i++) {
            b.put("k" + i, "x".repeat(30_000));
        }
        Fields tooBig = b.build();
        assertThrows(IllegalArgumentException.class, () -> Protocol.control(ALLOC, FrameType.RESULT, tooBig));
    }
}
