package dev.netbench.udp;

import dev.netbench.protocol.Fields;
import dev.netbench.protocol.TestKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;

import java.util.function.Consumer;

/**
 * The netbench UDP datagram: a 20-byte header (magic, type, flags, session, sequence number, send time), then
 * fields for control types or zeros up to the message size for DATA, PING and PONG. Readers here never
 * trust a length or a code: {@link #type} is null for anything that is not a well-formed netbench datagram.
 */
final class Datagram {
    static final int MAGIC = 0x8955; // 0x89 'U': not ASCII, not a DNS/QUIC/iperf3 first byte pair
    static final int HEADER = TestKind.UdpLimits.HEADER;
    static final int MAX = TestKind.UdpLimits.MAX_PAYLOAD;
    /** Flag: the datagram was sent inside the sender's measured window. */
    static final int MEASURED = 1;
    private static final int TYPE = 2;
    private static final int FLAGS = 3;
    private static final int SESSION = 4;
    private static final int SEQ = 8;
    private static final int TIME = 12;
    /** Zeros that pad traffic datagrams, copied rather than written byte by byte. */
    private static final ByteBuf ZEROS = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(MAX, MAX).writeZero(MAX).asReadOnly());

    private Datagram() {
    }

    /**
     * Runs {@code use} with {@code in} on {@code loop}: at once if this is the loop's thread, else later with a copy of it
     * there ({@code in} is the caller's, released once it returns), released after.
     */
    static void onLoop(EventLoop loop, ByteBuf in, Consumer<ByteBuf> use) {
        if (loop.inEventLoop()) {
            use.accept(in);
            return;
        }
        ByteBuf copy = in.copy();
        loop.execute(() -> {
            try {
                use.accept(copy);
            } finally {
                copy.release();
            }
        });
    }

    /** The type of a well-formed netbench datagram, else null. */
    static DatagramType type(ByteBuf in) {
        if (in.readableBytes() < HEADER || in.getUnsignedShort(in.readerIndex()) != MAGIC) {
            return null;
        }
        return DatagramType.of(in.getUnsignedByte(in.readerIndex() + TYPE));
    }

    static int session(ByteBuf in) {
        return in.getInt(in.readerIndex() + SESSION);
    }

    static int seq(ByteBuf in) {
        return in.getInt(in.readerIndex() + SEQ);
    }

    static long time(ByteBuf in) {
        return in.getLong(in.readerIndex() + TIME);
    }

    static boolean measured(ByteBuf in) {
        return (in.getByte(in.readerIndex() + FLAGS) & MEASURED) != 0;
    }

    /** The fields of a control datagram; malformed ones are a ProtocolException. */
    static Fields fields(ByteBuf in) {
        return Fields.decode(in.slice(in.readerIndex() + HEADER, in.readableBytes() - HEADER));
    }

    /** Turns a received PING into its PONG in place: the echo is the request, byte for byte, but for its type. */
    static ByteBuf toPong(ByteBuf ping) {
        return ping.setByte(ping.readerIndex() + TYPE, DatagramType.PONG.code);
    }

    static ByteBuf control(ByteBufAllocator alloc, DatagramType type, int session, Fields fields) {
        ByteBuf out = alloc.directBuffer(256);
        header(out, type, session, 0, 0, 0);
        fields.encode(out);
        if (out.readableBytes() > MAX) {
            out.release();
            throw new IllegalArgumentException(type + " datagram of " + out.readableBytes() + " bytes exceeds " + MAX);
        }
        return out;
    }

    /** A DATA or PING datagram of exactly {@code size} bytes (size ≥ HEADER). */
    static ByteBuf traffic(ByteBufAllocator alloc, DatagramType type, int session, int seq, long time, boolean measured, int size) {
        return traffic(alloc.directBuffer(size, size), type, session, seq, time, measured, size);
    }

    /** The same, written over {@code out} (cleared first; its capacity at least {@code size}), which it returns. */
    static ByteBuf traffic(ByteBuf out, DatagramType type, int session, int seq, long time, boolean measured, int size) {
        return append(out.clear(), type, session, seq, time, measured, size);
    }

    /**
     * Appends {@code count} DATA datagrams of {@code size} bytes to {@code out}, numbered from {@code seq}, all stamped
     * {@code time}: one GSO batch, which the kernel cuts into datagrams at every {@code size} bytes.
     */
    static ByteBuf batch(ByteBuf out, int session, int seq, long time, boolean measured, int size, int count) {
        for (int i = 0; i < count; i++) {
            append(out, DatagramType.DATA, session, seq + i, time, measured, size);
        }
        return out;
    }

    /** Writes one traffic datagram of {@code size} bytes at {@code out}'s writer index. */
    private static ByteBuf append(ByteBuf out, DatagramType type, int session, int seq, long time, boolean measured, int size) {
        header(out, type, session, measured ? MEASURED : 0, seq, time);
        return out.writeBytes(ZEROS, 0, size - HEADER);
    }

    private static void header(ByteBuf out, DatagramType type, int session, int flags, int seq, long time) {
        out.writeShort(MAGIC).writeByte(type.code).writeByte(flags).writeInt(session).writeInt(seq).writeLong(time);
    }
}
