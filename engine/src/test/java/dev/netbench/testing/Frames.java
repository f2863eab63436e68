package dev.netbench.testing;

import dev.netbench.host.Identity;
import dev.netbench.protocol.Fields;
import dev.netbench.protocol.FrameType;
import dev.netbench.protocol.Protocol;
import dev.netbench.protocol.TestSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;

/** The netbench protocol by hand, for clients written with plain sockets in the tests. */
public final class Frames {
    private Frames() {
    }

    /** One frame as read: its type (null for a message), and its fields (control frames) or payload size (messages, TXN). */
    public record Frame(FrameType type, Fields fields, int size) {
    }

    /** The preamble and a HELLO for {@code spec}. */
    public static byte[] hello(TestSpec spec) {
        return concat(bytes(Protocol.preamble(ByteBufAllocator.DEFAULT, Protocol.VERSION)),
                control(FrameType.HELLO, spec.toFields(Identity.local().toFields())));
    }

    public static byte[] control(FrameType type, Fields fields) {
        return bytes(Protocol.control(ByteBufAllocator.DEFAULT, type, fields));
    }

    /** A message of {@code size} bytes: zeros, nothing else. */
    public static byte[] message(int size) {
        return new byte[size];
    }

    /** Reads one whole frame; no message may come. */
    public static Frame read(DataInputStream in) throws IOException {
        return read(in, 0);
    }

    /** Reads one whole frame, or one message of {@code messageSize} bytes where a zero byte starts it. */
    public static Frame read(DataInputStream in, int messageSize) throws IOException {
        int code = in.readUnsignedByte();
        if (code == 0 && messageSize > 0) {
            in.skipNBytes(messageSize - 1);
            return new Frame(null, Fields.EMPTY, messageSize);
        }
        int length = in.readInt();
        FrameType type = FrameType.of(code);
        if (type == null || length < 0 || length > Protocol.MAX_MESSAGE_SIZE) {
            throw new IOException("bad frame: type " + code + ", length " + length);
        }
        if (type == FrameType.TXN) {
            in.skipNBytes(length);
            return new Frame(type, Fields.EMPTY, length);
        }
        byte[] body = new byte[length];
        in.readFully(body);
        ByteBuf buf = Unpooled.wrappedBuffer(body);
        try {
            return new Frame(type, length == 0 ? Fields.EMPTY : Fields.decode(buf), length);
        } finally {
            buf.release();
        }
    }

    /** The readable bytes of {@code buf}; releases it. */
    public static byte[] bytes(ByteBuf buf) {
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
