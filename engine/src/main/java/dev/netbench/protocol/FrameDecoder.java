package dev.netbench.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Turns the byte stream into {@link ControlFrame}s, {@link DataRead} counts and {@link TxnFrame}s.
 *
 * <p>DATA and TXN payload is never accumulated or copied: the decoder counts it and drops it, so a 16 MiB message
 * costs no more memory than a 1-byte one. Control frames are bounded by {@link Protocol#MAX_CONTROL_BODY}.
 * Within one read, the DATA counted so far is passed on before any frame that follows it, so order is kept.
 * Owns every inbound {@link ByteBuf} and releases it. A broken frame raises {@link ProtocolException}.
 */
public final class FrameDecoder extends ChannelInboundHandlerAdapter {
    private final ByteBuf header = Unpooled.buffer(Protocol.HEADER_LENGTH, Protocol.HEADER_LENGTH);
    private final int maxMessageSize;
    private FrameType bodyType;
    private int payloadLength;
    private long payloadRemaining;
    private ByteBuf controlBody;
    private long pendingBytes;
    private int pendingMessages;
    private boolean failed;

    public FrameDecoder() {
        this(Protocol.MAX_MESSAGE_SIZE);
    }

    public FrameDecoder(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (!failed) {
                decode(ctx, in);
            }
        } catch (ProtocolException e) {
            failed = true;
            pendingBytes = 0;
            pendingMessages = 0;
            throw e;
        } finally {
            in.release();
        }
    }

    private void decode(ChannelHandlerContext ctx, ByteBuf in) {
        while (in.isReadable()) {
            if (bodyType == null) {
                if (header.writerIndex() == 0 && in.readableBytes() >= Protocol.HEADER_LENGTH) {
                    startBody(ctx, in.readUnsignedByte(), in.readUnsignedInt());
                    continue;
                }
                // a header split across reads: stage its bytes
                in.readBytes(header, Math.min(header.writableBytes(), in.readableBytes()));
                if (header.isWritable()) {
                    break;
                }
                startBody(ctx, header.readUnsignedByte(), header.readUnsignedInt());
                header.clear();
            } else if (bodyType == FrameType.DATA) {
                pendingBytes += skipPayload(in);
                if (payloadRemaining == 0) {
                    pendingMessages++;
                    bodyType = null;
                }
            } else if (bodyType == FrameType.TXN) {
                skipPayload(in);
                if (payloadRemaining == 0) {
                    bodyType = null;
                    emit(ctx, new TxnFrame(payloadLength));
                }
            } else {
                int n = Math.min(controlBody.writableBytes(), in.readableBytes());
                in.readBytes(controlBody, n);
                if (!controlBody.isWritable()) {
                    emitControl(ctx);
                }
            }
        }
        flushData(ctx);
    }

    private void startBody(ChannelHandlerContext ctx, int code, long length) {
        FrameType type = FrameType.of(code);
        if (type == null) {
            throw new ProtocolException("unknown frame type " + code);
        }
        if (type == FrameType.DATA || type == FrameType.TXN) {
            if (length < 1 || length > maxMessageSize) {
                throw new ProtocolException(type + " frame of " + length + " bytes outside 1.." + maxMessageSize);
            }
            bodyType = type;
            payloadLength = (int) length;
            payloadRemaining = length;
            return;
        }
        if (length > Protocol.MAX_CONTROL_BODY) {
            throw new ProtocolException(type + " frame of " + length + " bytes exceeds " + Protocol.MAX_CONTROL_BODY);
        }
        bodyType = type;
        controlBody = Unpooled.buffer((int) length, (int) length);
        if (length == 0) {
            emitControl(ctx);
        }
    }

    private void emitControl(ChannelHandlerContext ctx) {
        FrameType type = bodyType;
        ByteBuf body = controlBody;
        bodyType = null;
        controlBody = null;
        Fields fields;
        try {
            fields = body.isReadable() ? Fields.decode(body) : Fields.EMPTY;
        } finally {
            body.release();
        }
        emit(ctx, new ControlFrame(type, fields));
    }

    /** Skips what {@code in} holds of the current DATA or TXN body; returns how many bytes that was. */
    private int skipPayload(ByteBuf in) {
        int n = (int) Math.min(payloadRemaining, in.readableBytes());
        in.skipBytes(n);
        payloadRemaining -= n;
        return n;
    }

    /** Passes on a whole frame, after the DATA counted before it. */
    private void emit(ChannelHandlerContext ctx, Object frame) {
        flushData(ctx);
        ctx.fireChannelRead(frame);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        header.release();
        if (controlBody != null) {
            controlBody.release();
            controlBody = null;
        }
    }

    private void flushData(ChannelHandlerContext ctx) {
        if (pendingBytes > 0) {
            DataRead read = new DataRead(pendingBytes, pendingMessages);
            pendingBytes = 0;
            pendingMessages = 0;
            ctx.fireChannelRead(read);
        }
    }
}
