package dev.netbench.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;

/** Constants and frame builders of the netbench wire protocol (docs/protocol.md). */
public final class Protocol {
    /** Opens every client connection. The first byte is not ASCII, so no text protocol (HTTP, iperf3's cookie) looks like it. */
    public static final int MAGIC = 0x894E4250; // 0x89 'N' 'B' 'P'
    /** 2: a message is its payload alone, told from a frame by its first byte (zero); 1 framed each message as DATA. */
    public static final int VERSION = 2;
    public static final int PREAMBLE_LENGTH = 6;
    public static final int DEFAULT_PORT = 7575;
    /** Frame header: type (1 byte) and body length (4 bytes, big-endian). */
    public static final int HEADER_LENGTH = 5;
    public static final int MAX_CONTROL_BODY = 64 * 1024;
    public static final int MAX_MESSAGE_SIZE = 16 * 1024 * 1024;
    private static final int ZEROS_CHUNK = 64 * 1024;
    /** Shared, never released: slices of it are every tcp_crr answer. */
    private static final ByteBuf ZEROS = Unpooled.unreleasableBuffer(Unpooled.directBuffer(ZEROS_CHUNK, ZEROS_CHUNK).writeZero(ZEROS_CHUNK));

    private Protocol() {
    }

    public static ByteBuf preamble(ByteBufAllocator alloc, int version) {
        return alloc.buffer(PREAMBLE_LENGTH).writeInt(MAGIC).writeShort(version);
    }

    public static ByteBuf control(ByteBufAllocator alloc, FrameType type, Fields fields) {
        if (type == FrameType.TXN) {
            throw new IllegalArgumentException("TXN is not a control frame");
        }
        ByteBuf buf = alloc.buffer(512);
        buf.writeByte(type.code()).writeInt(0);
        int bodyStart = buf.writerIndex();
        fields.encode(buf);
        int bodyLength = buf.writerIndex() - bodyStart;
        if (bodyLength > MAX_CONTROL_BODY) {
            buf.release();
            throw new IllegalArgumentException(type + " frame body of " + bodyLength + " bytes exceeds " + MAX_CONTROL_BODY);
        }
        buf.setInt(bodyStart - 4, bodyLength);
        return buf;
    }

    /**
     * One message of {@code size} bytes: zeros and nothing else, so its first byte tells it from a frame on the
     * wire. A direct buffer the sender writes again and again, straight from its address or through
     * {@link ByteBuf#retainedDuplicate()}: no copy and no allocation per message. The caller owns the returned
     * reference and releases it when the test ends.
     */
    public static ByteBuf message(int size) {
        checkMessageSize(size);
        return Unpooled.directBuffer(size, size).writeZero(size);
    }

    /** Appends a TXN frame (tcp_crr) carrying a message of {@code size} bytes (zeros) to {@code out}; returns {@code out}. */
    public static ByteBuf appendTransaction(ByteBuf out, int size) {
        checkMessageSize(size);
        return out.writeByte(FrameType.TXN.code()).writeInt(size).writeZero(size);
    }

    /**
     * Writes and flushes a message of {@code size} bytes (zeros, no header: tcp_crr's answer) without allocating
     * it: slices of one shared buffer of zeros. Returns the future of the last write.
     */
    public static ChannelFuture writeMessage(ChannelHandlerContext ctx, int size) {
        checkMessageSize(size);
        int left = size;
        while (left > ZEROS_CHUNK) {
            ctx.write(ZEROS.slice(0, ZEROS_CHUNK), ctx.voidPromise());
            left -= ZEROS_CHUNK;
        }
        return ctx.writeAndFlush(ZEROS.slice(0, left));
    }

    private static void checkMessageSize(int size) {
        if (size < 1 || size > MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException("message size " + size + " outside 1.." + MAX_MESSAGE_SIZE);
        }
    }
}
