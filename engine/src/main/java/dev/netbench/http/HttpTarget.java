package dev.netbench.http;

import dev.netbench.admission.ConnectionLimiter;
import dev.netbench.admission.IdleTimeout;
import dev.netbench.admission.Limits;
import dev.netbench.admission.ServerMetrics;
import dev.netbench.transport.ReadBackpressure;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;

/**
 * The agent's HTTP/1.1 target: {@code GET /} (a small fixed body), {@code GET /bytes/N} (N zero bytes, at most
 * 16 MiB), {@code GET /healthz}, {@code GET /metrics} (Prometheus text). Keep-alive and pipelining; responses are pre-encoded and flushed once per read.
 */
public final class HttpTarget extends ChannelInboundHandlerAdapter {
    private static final int ZEROS_CHUNK = 64 * 1024;
    /** Shared, never released: duplicates of these go out on every connection of every event loop. */
    private static final ByteBuf ZEROS = Unpooled.unreleasableBuffer(Unpooled.directBuffer(ZEROS_CHUNK).writeZero(ZEROS_CHUNK));
    private static final ByteBuf[] ROOT = variants(TargetResponses.ROOT_BODY);
    private static final ByteBuf[] HEALTH = variants(TargetResponses.HEALTH_BODY);

    /** Responses queued while the client is not reading, within one read, before the target gives up on it. */
    private static final int MAX_ANSWERED_UNREAD = 256;
    private final ServerMetrics metrics;
    private final int maxBytes;
    private final RequestDeadline deadline;
    private int answeredUnread;
    /** The response to the request being read, written once the request has been read whole. */
    private ByteBuf pending;
    private long pendingZeros;
    private boolean pendingClose;

    private HttpTarget(ServerMetrics metrics, int maxBytes, RequestDeadline deadline) {
        this.metrics = metrics;
        this.maxBytes = maxBytes;
        this.deadline = deadline;
    }

    /**
     * The target's pipeline; {@code /metrics} serves {@code metrics}. Within {@code limits}: at most
     * {@code limiter}'s connections per client address, a whole request within the handshake timeout of its first
     * byte (no slow-loris), a connection closed after the idle timeout with nothing moving, {@code /bytes/N} up to
     * the message size limit.
     */
    public static ChannelInitializer<SocketChannel> initializer(ServerMetrics metrics, Limits limits, ConnectionLimiter limiter) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                RequestDeadline deadline = new RequestDeadline(limits.handshakeTimeout(), metrics);
                ch.pipeline()
                        .addLast("limiter", limiter)
                        .addLast("idle", IdleTimeout.quiet(limits.idleTimeout(), metrics))
                        .addLast("deadline", deadline)
                        .addLast("backpressure", ReadBackpressure.INSTANCE)
                        .addLast("http-decoder", new HttpRequestDecoder(new HttpDecoderConfig()
                                .setMaxInitialLineLength(4096).setMaxHeaderSize(8192).setMaxChunkSize(65536)))
                        .addLast("http-target", new HttpTarget(metrics, Math.min(limits.maxMessageSize(), TargetResponses.MAX_BYTES), deadline));
            }
        };
    }

    /** The answer to a connection over a limit: a 503 that says which, then the close. */
    public static ByteBuf unavailable(String reason) {
        return TargetResponses.text(503, "Service Unavailable", reason + "\n", false, false);
    }

    private static ByteBuf[] variants(String body) {
        ByteBuf[] v = new ByteBuf[4];
        for (int i = 0; i < 4; i++) {
            v[i] = Unpooled.unreleasableBuffer(TargetResponses.text(200, "OK", body, (i & 1) != 0, (i & 2) != 0));
        }
        return v;
    }

    private static ByteBuf variant(ByteBuf[] v, boolean keepAlive, boolean head) {
        return v[(keepAlive ? 1 : 0) | (head ? 2 : 0)].duplicate();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                route(request);
            }
            if (msg instanceof LastHttpContent) {
                deadline.requestDone();
            }
            if (msg instanceof LastHttpContent && pending != null) {
                ByteBuf response = pending;
                pending = null;
                ctx.write(response, ctx.voidPromise());
                for (long left = pendingZeros; left > 0; left -= ZEROS_CHUNK) {
                    ctx.write(ZEROS.duplicate().writerIndex((int) Math.min(left, ZEROS_CHUNK)), ctx.voidPromise());
                }
                if (pendingClose) {
                    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                } else if (!ctx.channel().isWritable() && ++answeredUnread > MAX_ANSWERED_UNREAD) {
                    // reading stops at the next read (backpressure), but one read can hold a thousand requests
                    ctx.close();
                } else if (ctx.channel().isWritable()) {
                    answeredUnread = 0;
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void route(HttpRequest request) {
        pendingZeros = 0;
        metrics.httpRequest();
        if (request.decoderResult().isFailure()) {
            respond(TargetResponses.text(400, "Bad Request", "bad request\n", false, false), true);
            return;
        }
        boolean head = request.method().equals(HttpMethod.HEAD);
        if (!head && !request.method().equals(HttpMethod.GET)) {
            respond(TargetResponses.text(405, "Method Not Allowed", "GET or HEAD only\n", false, false), true);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String uri = request.uri();
        int query = uri.indexOf('?');
        String path = query >= 0 ? uri.substring(0, query) : uri;
        if (path.equals("/")) {
            respond(variant(ROOT, keepAlive, head), !keepAlive);
        } else if (path.equals("/healthz")) {
            respond(variant(HEALTH, keepAlive, head), !keepAlive);
        } else if (path.equals("/metrics")) {
            byte[] text = metrics.prometheusText().getBytes(StandardCharsets.UTF_8);
            respond(TargetResponses.encode(200, "OK", "text/plain; version=0.0.4; charset=utf-8", text, text.length, keepAlive, head), !keepAlive);
        } else if (path.startsWith("/bytes/")) {
            long n = parseLength(path.substring("/bytes/".length()));
            if (n < 0 || n > maxBytes) {
                respond(TargetResponses.text(400, "Bad Request", "N must be 0.." + maxBytes
                        + (maxBytes < TargetResponses.MAX_BYTES ? " (limit: message size)" : "") + "\n", keepAlive, head), !keepAlive);
            } else {
                // headers only; the body goes out as slices of one shared zero buffer, so N costs no allocation
                respond(TargetResponses.encode(200, "OK", "application/octet-stream", null, (int) n, keepAlive, true), !keepAlive);
                pendingZeros = head ? 0 : n;
            }
        } else {
            respond(TargetResponses.text(404, "Not Found", "not found\n", keepAlive, head), !keepAlive);
        }
    }

    private void respond(ByteBuf response, boolean close) {
        if (pending != null) {
            pending.release();
        }
        pending = response;
        pendingClose = close;
    }

    /** A decimal length of at most 9 digits, or -1. */
    private static long parseLength(String s) {
        if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(s);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
