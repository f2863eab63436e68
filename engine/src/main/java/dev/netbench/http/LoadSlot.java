package dev.netbench.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * One of the -c concurrent clients: issues requests one after another, on one keep-alive connection while the
 * server keeps it open, on a new connection otherwise. Confined to its event loop.
 */
final class LoadSlot {
    private final HttpLoad run;
    private final EventLoop loop;
    private final LoadStats stats;
    private final Bootstrap bootstrap;
    private final long intervalNanos;
    private long nextIntended;
    private Channel channel;
    private boolean reusable;

    // the request in flight
    private long intendedAt;
    private long startedAt;
    private long connectNanos;
    private long writtenAt;
    private long firstByteAt;
    private long bodyBytes;
    private int status;
    private boolean inFlight;
    private boolean serverCloses;
    private ScheduledFuture<?> timeout;

    LoadSlot(HttpLoad run, EventLoop loop, LoadStats stats, Bootstrap bootstrap, long firstIntended, long intervalNanos) {
        this.run = run;
        this.loop = loop;
        this.stats = stats;
        this.bootstrap = bootstrap.clone(loop).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast("bytes", new ByteWatcher())
                        .addLast("http-decoder", new HttpResponseDecoder(new HttpDecoderConfig()
                                .setMaxInitialLineLength(8192).setMaxHeaderSize(65536).setMaxChunkSize(1 << 20)))
                        .addLast("responses", new Responses());
            }
        });
        this.nextIntended = firstIntended;
        this.intervalNanos = intervalNanos;
    }

    void start() {
        loop.execute(this::next);
    }

    /** Claims and starts the next request, at its scheduled time in an open loop; or ends this slot. */
    private void next() {
        if (!run.claim()) {
            if (channel != null) {
                channel.close();
            }
            run.slotDone();
            return;
        }
        long now = System.nanoTime();
        if (intervalNanos > 0) {
            intendedAt = nextIntended;
            nextIntended += intervalNanos;
            if (intendedAt - now > 0) {
                loop.schedule(this::begin, intendedAt - now, TimeUnit.NANOSECONDS);
                return;
            }
        } else {
            intendedAt = now;
        }
        begin();
    }

    private void begin() {
        startedAt = System.nanoTime();
        inFlight = true;
        status = 0;
        bodyBytes = 0;
        serverCloses = false;
        if (channel != null && channel.isActive() && reusable) {
            connectNanos = 0;
            stats.keepAliveRequests++;
            send();
            return;
        }
        if (channel != null) {
            channel.close();
        }
        ChannelFuture f = bootstrap.connect(run.address());
        channel = f.channel();
        timeout = loop.schedule(() -> fail(Failure.TIMEOUT), run.requestTimeoutNanos(), TimeUnit.NANOSECONDS);
        f.addListener(done -> {
            if (!inFlight || f.channel() != channel) {
                return;
            }
            if (done.isSuccess()) {
                connectNanos = System.nanoTime() - startedAt;
                stats.connections++;
                stats.connect.record(connectNanos);
                send();
            } else {
                fail(Failure.CONNECT);
            }
        });
    }

    private void send() {
        cancelTimeout();
        timeout = loop.schedule(() -> fail(Failure.TIMEOUT), run.requestTimeoutNanos(), TimeUnit.NANOSECONDS);
        firstByteAt = 0;
        writtenAt = System.nanoTime();
        channel.writeAndFlush(run.request().retainedDuplicate()).addListener(w -> {
            if (!w.isSuccess()) {
                fail(Failure.RECEIVE);
            }
        });
    }

    private void complete() {
        long end = System.nanoTime();
        cancelTimeout();
        inFlight = false;
        stats.complete++;
        stats.bodyBytes += bodyBytes;
        if (status < 200 || status > 299) {
            stats.non2xx++;
        }
        if (!run.sameLengthAsFirst(bodyBytes)) {
            stats.lengthFailures++;
        }
        stats.waiting.record(firstByteAt - writtenAt);
        stats.total.record(end - startedAt);
        stats.processing.record(end - startedAt - connectNanos);
        if (intervalNanos > 0) {
            stats.corrected.record(end - intendedAt);
        }
        reusable = run.keepAlive() && !serverCloses;
        next();
    }

    enum Failure { CONNECT, RECEIVE, TIMEOUT, EXCEPTION }

    private void fail(Failure failure) {
        if (!inFlight) {
            return;
        }
        cancelTimeout();
        inFlight = false;
        switch (failure) {
            case CONNECT -> stats.connectFailures++;
            case RECEIVE -> stats.receiveFailures++;
            case TIMEOUT -> {
                stats.receiveFailures++;
                stats.timeouts++;
            }
            case EXCEPTION -> stats.exceptions++;
        }
        reusable = false;
        if (channel != null) {
            channel.close();
        }
        next();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    /** Sees every received byte before the decoder: the first byte's arrival (ab's "waiting") and the bytes transferred. */
    private final class ByteWatcher extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf && ctx.channel() == channel) {
                if (inFlight && firstByteAt == 0) {
                    firstByteAt = System.nanoTime();
                }
                stats.bytesReceived += buf.readableBytes();
            }
            ctx.fireChannelRead(msg);
        }
    }

    private final class Responses extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (ctx.channel() != channel || !inFlight) {
                    return; // a late answer on a connection this slot already gave up
                }
                HttpObject http = (HttpObject) msg;
                if (http.decoderResult().isFailure()) {
                    fail(http.decoderResult().cause() instanceof PrematureChannelClosureException ? Failure.RECEIVE : Failure.EXCEPTION);
                    return;
                }
                if (msg instanceof HttpResponse response) {
                    status = response.status().code();
                    serverCloses = !HttpUtil.isKeepAlive(response);
                    run.noteServer(response.headers().get(HttpHeaderNames.SERVER));
                }
                if (msg instanceof HttpContent content) {
                    bodyBytes += content.content().readableBytes();
                }
                if (msg instanceof LastHttpContent) {
                    complete();
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == channel) {
                reusable = false;
                fail(Failure.RECEIVE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == channel) {
                fail(cause instanceof java.io.IOException ? Failure.RECEIVE : Failure.EXCEPTION);
            }
            ctx.close();
        }
    }
}
