package dev.netbench.udp;

import dev.netbench.socket.BlockingIo;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.unix.Socket;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * udp_lat's traffic on a thread of its own, as qperf's: a connected datagram channel is taken off its event loop, its
 * socket put into blocking mode, and a loop waits for each datagram inside read(2) and answers it with write(2), not
 * an epoll_wait(2) as well and a turn of the event loop. A read waits at most the wake interval (SO_RCVTIMEO), so the
 * loop also keeps its own timers and sees a request to stop. When the loop ends, the socket is non-blocking again and
 * the channel back on its event loop, where {@code after} runs with what the loop threw (null if nothing); if that
 * loop is shutting down, the channel is closed instead and {@code after} does not run.
 * With {@code busyPoll} (--busy-poll) the socket stays non-blocking and the loop spins on read(2) instead, a
 * {@code sched_yield(2)} after each empty one ({@link #idle}), as tcp_lat's.
 */
final class OwnThread {
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** The loop, given the socket; it returns when the traffic is over. */
    interface Loop {
        /** First, on the new thread while the socket is still non-blocking. */
        default void before(Socket socket) throws Exception {
        }

        void run(Socket socket) throws Exception;
    }

    private OwnThread() {
    }

    /**
     * What a loop does after a read that found nothing: in busy-poll mode, yield the CPU (a peer on this same CPU runs
     * at once; spinning on, each end would wait out the other's time slice); a blocking read's timeout, nothing.
     */
    static void idle(boolean busyPoll) {
        if (busyPoll) {
            Thread.yield();
        }
    }

    /** Why {@code ch} cannot be served on a thread of its own, or null when it can. */
    static String unavailable(Channel ch) {
        return ch instanceof EpollDatagramChannel ? BlockingIo.unavailable() : "not a native epoll socket";
    }

    /** On {@code ch}'s event loop, once {@link #unavailable} said null. */
    static void start(Channel ch, boolean busyPoll, long wakeMicros, String role, Loop loop, Consumer<Throwable> after) {
        Socket socket = (Socket) ((EpollDatagramChannel) ch).fd(); // a LinuxSocket
        ch.deregister().addListener(f -> {
            if (!f.isSuccess()) {
                after.accept(f.cause());
                return;
            }
            Thread t = new Thread(() -> {
                Throwable failure = null;
                try {
                    loop.before(socket);
                    if (!busyPoll) {
                        BlockingIo.setBlocking(socket.intValue(), true);
                        BlockingIo.setReadTimeout(socket, wakeMicros);
                    }
                    loop.run(socket);
                } catch (Throwable e) {
                    failure = e;
                }
                try {
                    BlockingIo.setBlocking(socket.intValue(), false);
                } catch (Throwable e) {
                    failure = failure != null ? failure : e;
                }
                Throwable cause = failure;
                if (ch.eventLoop().isShuttingDown()) {
                    // the process is stopping (a self-test's agent, a SIGTERM): no loop to go back to, and none to run after
                    ch.unsafe().closeForcibly();
                    return;
                }
                ch.eventLoop().register(ch).addListener(r -> after.accept(cause != null ? cause : r.cause()));
            }, "netbench-" + role + "-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            try {
                t.start();
            } catch (Throwable e) {
                ch.eventLoop().register(ch).addListener(r -> after.accept(e));
            }
        });
    }
}
