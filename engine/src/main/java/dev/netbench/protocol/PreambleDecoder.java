package dev.netbench.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Server side: checks the 6-byte preamble (magic, version) a client connection opens with, then removes itself
 * and passes the rest of the stream on. A wrong magic is a {@link ProtocolException}; an unknown version is
 * reported as {@link UnsupportedVersion} so the server can answer with a reasoned REJECT.
 */
public final class PreambleDecoder extends ByteToMessageDecoder {

    /** Event fired when a client speaks a protocol version this server does not. */
    public record UnsupportedVersion(int version) {
    }

    /** Drops everything a client of an unsupported version sends after its preamble. */
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }

    private boolean failed;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            // nothing after a bad magic is decoded, not even at the close (found by fuzzing: the bytes left after a
            // failed preamble could hold a valid one, and frames behind it reached the handshake as it closed)
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < Protocol.PREAMBLE_LENGTH) {
            // Fail early on a wrong first byte instead of waiting for six bytes that may never come.
            int have = Math.min(in.readableBytes(), 4);
            for (int i = 0; i < have; i++) {
                int expected = (Protocol.MAGIC >>> (24 - 8 * i)) & 0xFF;
                if (in.getUnsignedByte(in.readerIndex() + i) != expected) {
                    throw badMagic(in);
                }
            }
            return;
        }
        int magic = in.readInt();
        int version = in.readUnsignedShort();
        if (magic != Protocol.MAGIC) {
            throw badMagic(in);
        }
        if (version != Protocol.VERSION) {
            // what follows is in a protocol this server does not speak: dropped, in this read and every later one
            // (found by fuzzing: bytes that came in a later read reached the frame decoder and failed there)
            in.skipBytes(in.readableBytes());
            ctx.pipeline().replace(this, "unsupported-version", new Discard());
            ctx.fireUserEventTriggered(new UnsupportedVersion(version));
            return;
        }
        ctx.pipeline().remove(this);
    }

    private ProtocolException badMagic(ByteBuf in) {
        failed = true;
        in.skipBytes(in.readableBytes());
        return new ProtocolException("not a netbench client (bad magic)");
    }
}
