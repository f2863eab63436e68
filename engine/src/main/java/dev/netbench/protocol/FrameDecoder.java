package dev.netbench.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.function.Consumer;

/**
 * Turns the byte stream into {@link ControlFrame}s, {@link DataRead} counts and {@link TxnFrame}s.
 *
 * <p>Once the test's endpoint {@linkplain #expectMessages expects messages}, a zero byte where a frame could
 * start begins a message of exactly that size, with no header (frame types are never 0). Message and TXN payload
 * is never accumulated or copied: the decoder counts it and drops it, so a 16 MiB message costs no more memory
 * than a 1-byte one. Control frames are bounded by {@link Protocol#MAX_CONTROL_BODY}. Within one read, the
 * message bytes counted so far are passed on before any frame that follows them, so order is kept.
 * Owns every inbound {@link ByteBuf} and releases it. A broken frame raises {@link ProtocolException}.
 */
public final class FrameDecoder extends ChannelInboundHandlerAdapter {
    private final ByteBuf header = Unpooled.buffer(Protocol.HEADER_LENGTH, Protocol.HEADER_LENGTH);
    private final int maxMessageSize;
    private FrameType bodyType;
    /** The test's message size once messages may arrive; 0 before (a zero byte is then an unknown frame). */
    private int messageSize;
    private int messageRemaining;
    private int payloadLength;
    private long payloadRemaining;
    private ByteBuf controlBody;
    private long pendingBytes;
    private int pendingMessages;
    private boolean failed;
    /** Where a decoded read goes on the pipeline: the next handler. */
    private Consumer<Object> pipeline;

    public FrameDecoder() {
        this(Protocol.MAX_MESSAGE_SIZE);
    }

    public FrameDecoder(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    /** From now on a zero byte at a frame boundary begins a message of {@code size} bytes. */
    public void expectMessages(int size) {
        if (size < 1 || size > maxMessageSize) {
            throw new IllegalArgumentException("message size " + size + " outside 1.." + maxMessageSize);
        }
        messageSize = size;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        pipeline = ctx::fireChannelRead;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            decode(in, pipeline);
        } finally {
            in.release();
        }
    }

    /**
     * Decodes what {@code in} holds, passing each {@link DataRead}, {@link ControlFrame} and {@link TxnFrame} to
     * {@code out} in order; reads {@code in} to its end and leaves its release to the caller. For a connection read
     * off the pipeline (a test's own thread); after a {@link ProtocolException} it decodes nothing more.
     */
    public void decode(ByteBuf in, Consumer<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            decodeFrames(in, out);
        } catch (ProtocolException e) {
            failed = true;
            pendingBytes = 0;
            pendingMessages = 0;
            throw e;
        }
    }

    private void decodeFrames(ByteBuf in, Consumer<Object> out) {
        while (in.isReadable()) {
            if (messageRemaining > 0) {
                int n = Math.min(messageRemaining, in.readableBytes());
                in.skipBytes(n);
                pendingBytes += n;
                messageRemaining -= n;
                if (messageRemaining == 0) {
                    pendingMessages++;
                }
            } else if (bodyType == null) {
                if (messageSize > 0 && header.writerIndex() == 0 && in.getByte(in.readerIndex()) == 0) {
                    messageRemaining = messageSize;
                } else if (header.writerIndex() == 0 && in.readableBytes() >= Protocol.HEADER_LENGTH) {
                    startBody(out, in.readUnsignedByte(), in.readUnsignedInt());
                } else {
                    // a header split across reads: stage its bytes
                    in.readBytes(header, Math.min(header.writableBytes(), in.readableBytes()));
                    if (header.isWritable()) {
                        break;
                    }
                    startBody(out, header.readUnsignedByte(), header.readUnsignedInt());
                    header.clear();
                }
            } else if (bodyType == FrameType.TXN) {
                skipPayload(in);
                if (payloadRemaining == 0) {
                    bodyType = null;
                    emit(out, new TxnFrame(payloadLength));
                }
            } else {
                int n = Math.min(controlBody.writableBytes(), in.readableBytes());
                in.readBytes(controlBody, n);
                if (!controlBody.isWritable()) {
                    emitControl(out);
                }
            }
        }
        flushData(out);
    }

    private void startBody(Consumer<Object> out, int code, long length) {
        FrameType type = FrameType.of(code);
        if (type == null) {
            throw new ProtocolException("unknown frame type " + code);
        }
        if (type == FrameType.TXN) {
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
            emitControl(out);
        }
    }

    private void emitControl(Consumer<Object> out) {
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
        emit(out, new ControlFrame(type, fields));
    }

    /** Skips what {@code in} holds of the current TXN body. */
    private void skipPayload(ByteBuf in) {
        int n = (int) Math.min(payloadRemaining, in.readableBytes());
        in.skipBytes(n);
        payloadRemaining -= n;
    }

    /** Passes on a whole frame, after the message bytes counted before it. */
    private void emit(Consumer<Object> out, Object frame) {
        flushData(out);
        out.accept(frame);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        header.release();
        if (controlBody != null) {
            controlBody.release();
            controlBody = null;
        }
    }

    private void flushData(Consumer<Object> out) {
        if (pendingBytes > 0) {
            DataRead read = new DataRead(pendingBytes, pendingMessages);
            pendingBytes = 0;
            pendingMessages = 0;
            out.accept(read);
        }
    }
}
