package dev.netbench.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
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

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < Protocol.PREAMBLE_LENGTH) {
            // Fail early on a wrong first byte instead of waiting for six bytes that may never come.
            int have = Math.min(in.readableBytes(), 4);
            for (int i = 0; i < have; i++) {
                int expected = (Protocol.MAGIC >>> (24 - 8 * i)) & 0xFF;
                if (in.getUnsignedByte(in.readerIndex() + i) != expected) {
                    throw new ProtocolException("not a netbench client (bad magic)");
                }
            }
            return;
        }
        int magic = in.readInt();
        int version = in.readUnsignedShort();
        if (magic != Protocol.MAGIC) {
            throw new ProtocolException("not a netbench client (bad magic)");
        }
        if (version != Protocol.VERSION) {
            in.skipBytes(in.readableBytes());
            ctx.pipeline().remove(this);
            ctx.fireUserEventTriggered(new UnsupportedVersion(version));
            return;
        }
        ctx.pipeline().remove(this);
    }
}
