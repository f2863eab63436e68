package dev.netbench.session;

import dev.netbench.protocol.Protocol;
import dev.netbench.protocol.TestSpec;
import dev.netbench.socket.ZeroCopyFile;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.FileDescriptor;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An endpoint that sends messages, as qperf and iperf3 do: each message is one send of exactly msg_size payload
 * bytes, with nothing added. On epoll a message goes straight to the socket from one direct buffer of zeros,
 * with no pass through the pipeline; a message the socket takes only in part, and every message while an earlier
 * write is still with Netty, goes through Netty, which keeps the order and finishes it when the socket has room.
 * With -Z (a {@link ZeroCopyFile} attached to the channel) that one send is a sendfile(2) of the message from the file.
 * Also, for the roles that drive a test (the bandwidth sender, the latency pinger), the test's clock.
 */
public abstract class MessageSender extends ClockedEndpoint {
    private ByteBuf message;
    private long address;
    /** The socket on epoll; null on NIO, where every message goes through Netty. */
    private FileDescriptor socket;
    /** -Z: the file each message is sent from; null: written from {@code message}. */
    private ZeroCopyFile zeroCopy;

    protected MessageSender(TestSpec spec, Side side) {
        super(spec, side);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        message = Protocol.message(spec.msgSize());
        address = message.hasMemoryAddress() ? message.memoryAddress() : 0;
        zeroCopy = ZeroCopyFile.attached(ctx.channel());
        socket = ctx.channel() instanceof EpollSocketChannel epoll && (message.hasMemoryAddress() || zeroCopy != null)
                ? epoll.fd() : null;
        super.handlerAdded(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (message != null) {
            message.release();
            message = null;
        }
    }

    /**
     * Sends up to {@code max} messages, unless the test was stopped; stops early once a message is left with
     * Netty (the socket is full: {@link #whenWritesDone} says when to go on), so one asked for is always sent.
     * Returns how many were sent.
     */
    protected final int send(ChannelHandlerContext ctx, int max) {
        int size = spec.msgSize();
        int sent = 0;
        Pump pump = pump();
        while (sent < max && !ended()) {
            if (pump != null) {
                try {
                    int written = zeroCopy != null ? zeroCopy.sendTo(socket.intValue()) : 0;
                    pump.write(address + written, size - written);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                sent++;
                continue;
            }
            int written = 0;
            if (socket != null && writesDone()) {
                try {
                    written = zeroCopy != null ? zeroCopy.sendTo(socket.intValue()) : socket.writeAddress(address, 0, size);
                } catch (IOException e) {
                    ctx.pipeline().fireExceptionCaught(e);
                    break;
                }
            }
            sent++;
            if (written < size) {
                // the rest goes from the message buffer, after a sendfile too: zeros are the file's zeros
                queue(ctx, written == 0 ? message.retainedDuplicate() : message.retainedSlice(written, size - written));
                if (!writesDone()) {
                    break;
                }
            }
        }
        window.sent((long) sent * size, sent);
        return sent;
    }
}
