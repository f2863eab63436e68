package dev.netbench.transport;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.function.Supplier;

/** The socket transport: native epoll where it loads, else Java NIO with a one-line warning. */
public record Transport(String name, Supplier<IoHandlerFactory> ioHandlers,
                        Class<? extends SocketChannel> socketChannel,
                        Class<? extends ServerChannel> serverChannel,
                        Class<? extends DatagramChannel> datagramChannel) {

    private static final Transport BEST = choose();

    public static Transport best() {
        return BEST;
    }

    /** Java NIO, whatever the platform offers: the fallback, and what tests of it run on. */
    public static Transport nio() {
        return new Transport("nio", NioIoHandler::newFactory, NioSocketChannel.class, NioServerSocketChannel.class,
                NioDatagramChannel.class);
    }

    public EventLoopGroup newGroup(int threads, String threadPrefix) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadPrefix, true), ioHandlers.get());
    }

    private static Transport choose() {
        if (!Boolean.getBoolean("netbench.nio") && Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler::newFactory, EpollSocketChannel.class, EpollServerSocketChannel.class,
                    EpollDatagramChannel.class);
        }
        if (!Boolean.getBoolean("netbench.nio")) {
            System.err.println("netbench: warning: native epoll unavailable (" + Epoll.unavailabilityCause()
                    + "); using Java NIO, figures may be lower");
        }
        return nio();
    }

    /** Reads grow up to 256 KiB so a bandwidth test's receiver makes few syscalls; latency tests stay small. */
    public static AdaptiveRecvByteBufAllocator recvAllocator() {
        return new AdaptiveRecvByteBufAllocator(64, 2048, 256 * 1024);
    }
}
