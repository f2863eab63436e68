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

    /** MARK, two 1000-byte messages, a 3-byte message, END, RESULT: a small but complete stream. */
    private static ByteBuf stream() {
        ByteBuf s = Unpooled.buffer();
        append(s, Protocol.control(ALLOC, FrameType.MARK, Fields.EMPTY));
        append(s, Protocol.dataFrame(1000));
        append(s, Protocol.dataFrame(1000));
        append(s, Protocol.dataFrame(3));
        append(s, Protocol.control(ALLOC, FrameType.END, Fields.EMPTY));
        append(s, Protocol.control(ALLOC, FrameType.RESULT, Fields.builder().put("bytes", 2003).build()));
        return s;
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
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
        ch.writeInbound(stream());
        assertEquals(List.of("MARK {}", "DATA 2003/3", "END {}", "RESULT {bytes=2003}"), transcript(ch));
    }

    @Test
    void sameResultWhateverTheSplit() {
        ByteBuf whole = stream();
        List<String> expected = List.of("MARK {}", "DATA 2003/3", "END {}", "RESULT {bytes=2003}");
        for (int chunk : new int[]{1, 2, 3, 5, 7, 64, 999, 1001}) {
            EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
            for (int i = 0; i < whole.readableBytes(); i += chunk) {
                ch.writeInbound(whole.retainedSlice(i, Math.min(chunk, whole.readableBytes() - i)));
                assertEquals(1, whole.refCnt(), "decoder must release what it reads");
            }
            assertEquals(expected, transcript(ch), "chunk " + chunk);
        }
    }

    @Test
    void txnFramesComeWholeWithTheirSizeWhateverTheSplit() {
        ByteBuf whole = Unpooled.buffer();
        append(whole, Protocol.dataFrame(3));
        Protocol.appendTransaction(whole, 1);
        Protocol.appendTransaction(whole, 70_000);
        List<String> expected = List.of("DATA 3/1", "TXN 1", "TXN 70000");
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
    void oversizedAndEmptyDataAndTxnFramesAreRejected() {
        for (FrameType type : new FrameType[]{FrameType.DATA, FrameType.TXN}) {
            for (int length : new int[]{Protocol.MAX_MESSAGE_SIZE + 1, 0, -1}) {
                ByteBuf header = Unpooled.buffer().writeByte(type.code()).writeInt(length);
                ProtocolException e = assertThrows(ProtocolException.class, () -> new EmbeddedChannel(new FrameDecoder()).writeInbound(header));
                assertTrue(e.getMessage().startsWith(type + " frame of "), e.getMessage());
            }
        }
    }

    @Test
    void unknownTypeAndGarbageAreRejected() {
        for (int type : new int[]{0, 8, 0x47, 255}) {
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
