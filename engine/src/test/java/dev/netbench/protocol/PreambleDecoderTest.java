package dev.netbench.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PreambleDecoderTest {

    @Test
    void validPreambleIsConsumedAndTheRestPassesOn() {
        EmbeddedChannel ch = new EmbeddedChannel(new PreambleDecoder(), new FrameDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(Protocol.preamble(ch.alloc(), Protocol.VERSION),
                Protocol.control(ch.alloc(), FrameType.HELLO, Fields.builder().put("test", "tcp_bw").build())));
        ControlFrame hello = assertInstanceOf(ControlFrame.class, ch.readInbound());
        assertEquals(FrameType.HELLO, hello.type());
        assertNull(ch.pipeline().get(PreambleDecoder.class));
    }

    @Test
    void preambleSplitAcrossReads() {
        EmbeddedChannel ch = new EmbeddedChannel(new PreambleDecoder(), new FrameDecoder());
        ByteBuf in = Unpooled.wrappedBuffer(Protocol.preamble(ch.alloc(), Protocol.VERSION),
                Protocol.control(ch.alloc(), FrameType.END, Fields.EMPTY));
        while (in.isReadable()) {
            ch.writeInbound(in.readRetainedSlice(1));
        }
        in.release();
        assertEquals(FrameType.END, ((ControlFrame) ch.readInbound()).type());
    }

    @Test
    void wrongFirstByteFailsAtOnce() {
        EmbeddedChannel ch = new EmbeddedChannel(new PreambleDecoder());
        DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[]{'G'})));
        assertInstanceOf(ProtocolException.class, e.getCause());
    }

    @Test
    void iperf3CookieIsNotNetbench() {
        EmbeddedChannel ch = new EmbeddedChannel(new PreambleDecoder());
        ByteBuf cookie = Unpooled.copiedBuffer("abcdefghijklmnopqrstuvwxyz0123456789\0", java.nio.charset.StandardCharsets.US_ASCII);
        assertThrows(DecoderException.class, () -> ch.writeInbound(cookie));
    }

    @Test
    void unknownVersionIsReportedForAReasonedReject() {
        List<Object> events = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new PreambleDecoder(), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
        ch.writeInbound(Protocol.preamble(ch.alloc(), 99).writeBytes(new byte[]{1, 2, 3}));
        assertEquals(List.of(new PreambleDecoder.UnsupportedVersion(99)), events);
        assertNull(ch.readInbound());
    }

    /** Found by FrameDecoderFuzzTest (its input "unsupported-version-then-frames"): the outcome depended on the reads. */
    @Test
    void bytesAfterAnUnknownVersionAreDroppedHoweverTheyArrive() {
        List<Object> events = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new PreambleDecoder(), new FrameDecoder(), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
        ch.writeInbound(Protocol.preamble(ch.alloc(), 5));
        ByteBuf later = Unpooled.wrappedBuffer(new byte[]{42, 0, 0, 0, 0}); // an unknown frame type, in a later read
        ch.writeInbound(later); // no ProtocolException from the frame decoder: it never sees these bytes
        assertEquals(0, later.refCnt());
        assertEquals(List.of(new PreambleDecoder.UnsupportedVersion(5)), events);
        assertNull(ch.readInbound());
    }

    /**
     * Found by FrameDecoderFuzzTest (its input "bad-magic-then-a-preamble"): the six bytes of a bad preamble were
     * consumed and the rest kept, so at the close a valid preamble behind them let the frames that followed through.
     */
    @Test
    void nothingIsDecodedAfterABadMagicNotEvenAtTheClose() {
        List<Object> frames = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new PreambleDecoder(), new FrameDecoder(), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                frames.add(msg);
            }
        });
        ByteBuf in = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer("BP..*.".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                Protocol.preamble(ch.alloc(), Protocol.VERSION), Protocol.control(ch.alloc(), FrameType.HELLO, Fields.EMPTY));
        DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(in));
        assertInstanceOf(ProtocolException.class, e.getCause());
        ch.finishAndReleaseAll(); // the close: no second error, no HELLO
        assertEquals(List.of(), frames);
    }
}
