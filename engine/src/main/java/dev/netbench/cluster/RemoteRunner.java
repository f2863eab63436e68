package dev.netbench.cluster;

import dev.netbench.NetbenchException;
import dev.netbench.auth.Token;
import dev.netbench.client.Client;
import dev.netbench.protocol.Fields;
import dev.netbench.protocol.FrameType;
import dev.netbench.protocol.Protocol;
import dev.netbench.protocol.ProtocolException;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.JsonReport;
import dev.netbench.admission.Admission;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The agent's side of a remote-driven test: an authenticated orchestrator asks this agent to run a client test
 * against another agent; the run happens here, off the event loops, and its JSON document (the same as
 * {@code netbench client --json}) goes back in RESULT frames of at most {@value #CHUNK} characters each, the last
 * one marked {@code more=false}. At most {@value #MAX_RUNNING} run at once; closing the connection cancels the run.
 */
public final class RemoteRunner {
    /** The HELLO's {@code op} that asks for a remote-driven test. */
    public static final String OP = "remote";
    /** The HELLO's {@code op} that asks only for the agent's identity (in ACCEPT); the agent then closes. */
    public static final String IDENTITY_OP = "identity";
    /**
     * In the ACCEPT of a remote-driven test: this agent applies the request's {@code run.sock.*} (tcp_bw's knobs). An
     * agent older than them ignores those fields, so the orchestrator asks for it when it sends any.
     */
    public static final String TAKES_SOCKET_KNOBS = "run.sock";
    static final int MAX_RUNNING = 4;
    /** The source agent's connect timeout towards its target, as a client's default. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Characters per RESULT chunk: at most 3 UTF-8 bytes each, so a chunk fits a field's 65535 bytes. */
    static final int CHUNK = 20_000;

    private final Token token;
    private final Consumer<String> log;
    private final Semaphore running = new Semaphore(MAX_RUNNING);
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "netbench-remote");
        t.setDaemon(true);
        return t;
    });

    public RemoteRunner(Token token, Consumer<String> log) {
        this.token = token;
        this.log = log;
    }

    /**
     * The handler that runs the test a remote HELLO asks for (it starts when added to the pipeline).
     *
     * @throws ProtocolException the request is malformed or over a limit; the message is the reason to send back
     */
    public ChannelHandler start(Fields hello, Admission admission) {
        RemoteRequest request = RemoteRequest.fromFields(hello);
        Admission.Ticket ticket;
        try {
            // the agent's own limits hold too: a test slot, its longest test, its largest message's buffer
            ticket = admission.admit(request.standIn());
        } catch (Admission.Refused e) {
            throw new ProtocolException(e.getMessage());
        }
        if (!running.tryAcquire()) {
            ticket.release();
            throw new ProtocolException("limit: " + MAX_RUNNING + " remote-driven tests already running on this agent");
        }
        return new Run(request, ticket);
    }

    private final class Run extends ChannelInboundHandlerAdapter {
        private final RemoteRequest request;
        private final Admission.Ticket ticket;
        private final AtomicBoolean started = new AtomicBoolean();
        private final AtomicBoolean released = new AtomicBoolean();
        private Future<?> task;

        Run(RemoteRequest request, Admission.Ticket ticket) {
            this.request = request;
            this.ticket = ticket;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            String peer = String.valueOf(ctx.channel().remoteAddress());
            String target = request.host() + ":" + request.port();
            log.accept("event=remote_run peer=" + peer + " target=" + target + " tests=" + request.tests().size());
            task = executor.submit(() -> {
                started.set(true);
                String json = null;
                String error = null;
                try {
                    verifyTarget();
                    json = JsonReport.format(Client.run(request.toClientSettings(token, CONNECT_TIMEOUT), line -> { }));
                } catch (InterruptedException e) {
                    error = "cancelled";
                } catch (RuntimeException e) { // whatever went wrong, the orchestrator gets a RESULT saying so
                    error = e instanceof NetbenchException ? e.getMessage() : Client.reason(e);
                } finally {
                    release();
                }
                String result = json;
                String failure = error;
                ctx.executor().execute(() -> reply(ctx, result, failure));
            });
        }

        /**
         * Only towards agents: the target must prove the token in a handshake before anything is sent to it, and its
         * HTTP target must be where the request says, or an http test could aim load at any address.
         */
        private void verifyTarget() throws InterruptedException {
            try (RemoteClient probe = new RemoteClient(token, CONNECT_TIMEOUT)) {
                Agent target = probe.identify(new InetSocketAddress(request.host(), request.port()));
                if (request.tests().contains(TestKind.HTTP) && target.httpPort() != request.httpPort()) {
                    throw new NetbenchException("target " + target.endpoint() + " serves its HTTP target on port "
                            + target.httpPort() + ", not " + request.httpPort());
                }
            }
        }

        private void reply(ChannelHandlerContext ctx, String json, String error) {
            if (!ctx.channel().isActive()) {
                return;
            }
            if (error != null) {
                log.accept("event=remote_failed peer=" + ctx.channel().remoteAddress() + " reason=\"" + error.replace("\"", "'") + "\"");
                ctx.writeAndFlush(Protocol.control(ctx.alloc(), FrameType.RESULT,
                        Fields.builder().put("error", error).put("more", false).build())).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            for (int at = 0, end; at < json.length(); at = end) {
                end = Math.min(json.length(), at + CHUNK);
                if (end < json.length() && Character.isHighSurrogate(json.charAt(end - 1))) {
                    end--; // a surrogate pair stays in one chunk
                }
                boolean more = end < json.length();
                var frame = Protocol.control(ctx.alloc(), FrameType.RESULT,
                        Fields.builder().put("json", json.substring(at, end)).put("more", more).build());
                if (more) {
                    ctx.write(frame, ctx.voidPromise());
                } else {
                    ctx.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
                }
            }
        }

        /** Once per run, whether it finished, failed, or was cancelled before it started. */
        private void release() {
            if (released.compareAndSet(false, true)) {
                ticket.release();
                running.release();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg); // the orchestrator has nothing more to say; extra frames are ignored
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (task != null) {
                task.cancel(true);
                if (!started.get()) {
                    release(); // it never ran; a running one releases when it has finished stopping
                }
            }
            ctx.fireChannelInactive();
        }
    }
}
