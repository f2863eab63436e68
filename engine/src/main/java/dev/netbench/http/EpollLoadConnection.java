package dev.netbench.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.FastThreadLocal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * A load connection straight on a native socket registered with its epoll loop: no channel pipeline, outbound
 * buffer, promise or per-read buffer, which is most of what a channel costs per request beyond the kernel's own work
 * (the generator's client CPU per request is what it is compared on with ab). Level-triggered: one recv per
 * readiness into the loop's read buffer, and whatever is left is reported again on the next turn of the loop.
 */
final class EpollLoadConnection implements LoadConnection, EpollIoHandle {
    private static final int READ_BUFFER = 64 * 1024;
    private static final EpollIoOps READ = EpollIoOps.EPOLLIN;
    private static final EpollIoOps READ_WRITE = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLOUT);
    /** One read buffer per event loop: a read is handed to the slot and consumed before the next one. */
    private static final FastThreadLocal<ByteBuf> READS = new FastThreadLocal<>() {
        @Override
        protected ByteBuf initialValue() {
            return Unpooled.directBuffer(READ_BUFFER, READ_BUFFER);
        }

        @Override
        protected void onRemoval(ByteBuf buf) {
            buf.release();
        }
    };

    private final IoEventLoop loop;
    private final InetSocketAddress address;
    private final ByteBuf request;
    private final Events events;
    private LinuxSocket socket;
    private IoRegistration registration;
    private boolean connected;
    private boolean closed;
    private int sent; // bytes of the request in flight the socket has taken
    private boolean awaitingWritable; // registered for EPOLLOUT too: the socket took only part of the request

    private EpollLoadConnection(IoEventLoop loop, InetSocketAddress address, ByteBuf request, Events events) {
        this.loop = loop;
        this.address = address;
        this.request = request;
        this.events = events;
    }

    /** Whether {@code loop} can carry these connections: an epoll loop. */
    static boolean fits(IoEventLoop loop) {
        return loop.isCompatible(EpollLoadConnection.class);
    }

    /** A run's connections, on loops that {@link #fits} accepts. */
    static Factory factory(InetSocketAddress address, ByteBuf request) {
        return (loop, events) -> new EpollLoadConnection((IoEventLoop) loop, address, request, events);
    }

    @Override
    public void connect() {
        try {
            socket = LinuxSocket.newSocketStream(address.getAddress() instanceof Inet6Address
                    ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET);
            socket.setTcpNoDelay(true);
        } catch (IOException | RuntimeException e) { // e.g. out of file descriptors
            connectFailed(e);
            return;
        }
        loop.register(this).addListener(f -> {
            if (!f.isSuccess() || closed) {
                connectFailed(f.cause());
                return;
            }
            registration = (IoRegistration) f.getNow();
            try {
                socket.connect(address);
                registration.submit(EpollIoOps.EPOLLOUT); // done or under way, the answer comes as writability
            } catch (IOException | RuntimeException e) {
                connectFailed(e);
            }
        });
    }

    /** {@code cause} is null when the connection was closed while registering. */
    private void connectFailed(Throwable cause) {
        if (!closed) {
            close();
            events.connectFailed(this, cause);
        }
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        if (closed) {
            return;
        }
        EpollIoOps ops = ((EpollIoEvent) event).ops();
        if (!connected) {
            finishConnect();
            return;
        }
        if (awaitingWritable && ops.contains(EpollIoOps.EPOLLOUT)) {
            write();
        }
        // readable, or an error or hang-up, which the read reports
        if (!closed && (ops.value() & ~EpollIoOps.EPOLLOUT.value()) != 0) {
            read();
        }
    }

    private void finishConnect() {
        try {
            if (!socket.finishConnect()) {
                return; // still under way: a stale readiness
            }
            registration.submit(READ);
        } catch (IOException | RuntimeException e) {
            connectFailed(e);
            return;
        }
        connected = true;
        events.connected(this);
    }

    private void read() {
        ByteBuf buf = READS.get();
        int n;
        try {
            n = socket.recvAddress(buf.memoryAddress(), 0, buf.capacity());
        } catch (IOException | RuntimeException e) {
            fail(e);
            return;
        }
        if (n > 0) {
            long readAt = System.nanoTime();
            buf.setIndex(0, n);
            events.received(this, buf, readAt);
        } else if (n < 0) {
            close();
            events.closed(this);
        } // 0: nothing after all
    }

    @Override
    public void send() {
        if (awaitingWritable) {
            // an answer before its whole request was sent: a server that does not wait to read it
            fail(new IOException("a response arrived before its request was sent"));
            return;
        }
        write();
    }

    /** Writes what is left of the request; only a partial write changes the registration (an epoll_ctl). */
    private void write() {
        int length = request.readableBytes();
        try {
            sent += socket.sendAddress(request.memoryAddress() + request.readerIndex(), sent, length);
            if (sent == length) {
                sent = 0;
                if (awaitingWritable) {
                    awaitingWritable = false;
                    registration.submit(READ);
                }
            } else if (!awaitingWritable) {
                awaitingWritable = true;
                registration.submit(READ_WRITE);
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void fail(Throwable cause) {
        close();
        events.failed(this, cause);
    }

    @Override
    public boolean isOpen() {
        return connected && !closed;
    }

    /** Also called by the loop when it shuts down with this still registered. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (socket != null) {
            try {
                socket.close(); // first: a closed descriptor leaves epoll by itself, sparing cancel() its epoll_ctl
            } catch (IOException ignored) {
                // nothing left to do with it
            }
        }
        if (registration != null) {
            registration.cancel();
        }
    }

    @Override
    public FileDescriptor fd() {
        return socket;
    }
}
