package dev.netbench.admission;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * First in a TCP listener's pipeline: counts the open connections of each client IP address, and answers one over
 * {@link Limits#maxConnectionsPerAddress()} with the listener's own refusal (a REJECT frame, an HTTP 503) instead
 * of serving it. The refused connection then only lingers until the client closes, at most
 * {@link Refusal#LINGER_MILLIS}: it never reaches the handshake, so it holds no timer and no buffer.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();
    private final int max;
    private final ServerMetrics metrics;
    private final Consumer<String> log;
    private final Function<String, ByteBuf> refusal;
    private final String listener;

    /**
     * @param listener what the log calls this listener ({@code tests}, {@code http})
     * @param refusal  the bytes that tell a client of this listener why it is refused, for a reason
     */
    public ConnectionLimiter(int max, ServerMetrics metrics, Consumer<String> log, String listener, Function<String, ByteBuf> refusal) {
        this.max = max;
        this.metrics = metrics;
        this.log = log;
        this.listener = listener;
        this.refusal = refusal;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        boolean[] admitted = {false};
        open.compute(address, (a, n) -> {
            int count = n == null ? 0 : n;
            admitted[0] = count < max;
            return admitted[0] ? count + 1 : (n == null ? null : n);
        });
        if (admitted[0]) {
            // counted down when it closes, however it closes: a test connection that closes while off its event loop
            // (its own thread's, see session.Pump) is closed without a channelInactive
            ctx.channel().closeFuture().addListener(f -> open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1));
            ctx.fireChannelActive();
            return;
        }
        String reason = Limits.reason("connections per client address", String.valueOf(max), "reached");
        metrics.limitHit("connections_per_address");
        metrics.rejected();
        log.accept("event=rejected listener=" + listener + " peer=" + ctx.channel().remoteAddress() + " reason=\"" + reason + "\"");
        Refusal.install(ctx, refusal.apply(reason));
    }

    /** Open connections counted from {@code address} now. */
    public int open(InetAddress address) {
        return open.getOrDefault(address, 0);
    }

    /** Client addresses with a connection open now. */
    public int addresses() {
        return open.size();
    }
}
