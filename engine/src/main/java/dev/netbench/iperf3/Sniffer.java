package dev.netbench.iperf3;

import dev.netbench.protocol.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A connection's first bytes decide who it is for. netbench's preamble opens with 0x89, a byte no iperf3 cookie
 * has: the sniffer steps aside at once and the netbench pipeline behind it sees every byte. An iperf3 connection
 * opens with 36 cookie characters and a NUL: the sniffer takes the netbench handlers out and hands the connection
 * to the iperf3 side, as a new test's control connection or as a stream of the test that owns the cookie.
 * Anything else (HTTP, TLS, noise) goes to the netbench pipeline too, which closes it for its bad magic.
 */
final class Sniffer extends ByteToMessageDecoder {
    /** The netbench handlers an iperf3 connection does not use; the error logger after them stays. */
    private static final String[] NETBENCH_HANDLERS = {"preamble", "frames", "handshake"};
    private final Iperf3Service service;

    Sniffer(Iperf3Service service) {
        this.service = service;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int have = Math.min(in.readableBytes(), Iperf3.COOKIE_BYTES);
        if (have == 0) {
            return;
        }
        if (in.getUnsignedByte(in.readerIndex()) == (Protocol.MAGIC >>> 24)) {
            ctx.pipeline().remove(this);
            return;
        }
        for (int i = 0; i < have; i++) {
            int b = in.getUnsignedByte(in.readerIndex() + i);
            boolean ok = i < Iperf3.COOKIE_CHARS ? Iperf3.cookieChar(b) : b == 0;
            if (!ok) {
                ctx.pipeline().remove(this); // not iperf3 either: the netbench preamble decoder says why it closes
                return;
            }
        }
        if (have < Iperf3.COOKIE_BYTES) {
            return;
        }
        String cookie = in.readCharSequence(Iperf3.COOKIE_CHARS, StandardCharsets.US_ASCII).toString();
        in.skipBytes(1);
        ChannelPipeline p = ctx.pipeline();
        for (String name : NETBENCH_HANDLERS) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
        Iperf3ServerSession owner = service.find(cookie);
        if (owner != null) {
            p.replace(this, "iperf3-stream", owner.newTcpStream(ctx.channel()));
        } else {
            p.replace(this, "iperf3-control", new Iperf3ServerSession(service, cookie, ctx.channel()));
        }
    }
}
