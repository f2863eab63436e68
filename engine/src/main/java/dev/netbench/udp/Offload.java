package dev.netbench.udp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.unix.Errors;

/**
 * UDP segmentation offload on the native transport. GSO (UDP_SEGMENT): a sender hands the kernel one buffer of up
 * to {@link #MAX_SEGMENTS} equal datagrams per send(2), which the kernel (or the NIC) cuts into datagrams on the
 * wire. GRO (UDP_GRO): a receiving socket takes such a batch whole, one read for all of it, which Netty's epoll
 * transport splits back into datagrams before any handler sees them; without it the kernel cuts the batch up
 * before the socket queue.
 */
final class Offload {
    /** Datagrams per GSO send: the kernel's UDP_MAX_SEGMENTS on older kernels (newer ones take 128). */
    static final int MAX_SEGMENTS = 64;
    /** Payload bytes in one GSO send: an IPv4 packet's limit, 65535 less its IP and UDP headers. */
    static final int MAX_BYTES = 65_507;
    /** A read that can hold a whole GRO batch: the kernel merges up to 64 KiB, UDP header included. */
    static final int READ_BYTES = 65_536;
    /** Linux's errno values for what a refused GSO send fails with. */
    private static final int EIO = 5;
    private static final int EINVAL = 22;
    private static final int EMSGSIZE = 90;

    private Offload() {
    }

    /** How many datagrams of {@code size} bytes one send on {@code channel} may carry: 1 when GSO is not available. */
    static int segments(Channel channel, int size) {
        if (!(channel instanceof EpollDatagramChannel) || !EpollDatagramChannel.isSegmentedDatagramPacketSupported()) {
            return 1;
        }
        return Math.max(1, Math.min(MAX_SEGMENTS, MAX_BYTES / size));
    }

    /**
     * Whether a send failed because the kernel would not segment it (EINVAL: a segment larger than the route's MTU;
     * EIO: a device without checksum offload; EMSGSIZE), rather than for the path's sake (an ICMP error).
     */
    static boolean refused(Throwable failure) {
        return failure instanceof Errors.NativeIoException e && (e.expectedErr() == -EINVAL || e.expectedErr() == -EIO
                || e.expectedErr() == -EMSGSIZE);
    }

    /** How a receiving socket's reads are batched. */
    enum Reads {
        /** One datagram per read. */
        SINGLE,
        /** A GSO batch per read, taken whole (UDP_GRO). */
        GRO,
        /** Up to {@link #SLOTS} datagrams per recvmmsg(2). */
        RECVMMSG
    }

    /**
     * A recvmmsg slot holds a test datagram or anything else a peer sends (a repeated HELLO, a RESULT: the largest); a
     * longer datagram would be cut to the slot.
     */
    static final int CONTROL_SLOT = 8192;
    /** Datagrams per recvmmsg(2), at most. */
    static final int SLOTS = 32;

    /**
     * Batches {@code channel}'s reads: whole GSO batches (GRO) when the peer sends them ({@code offload}), else recvmmsg(2)
     * with slots of {@code msgSize} bytes or {@link #CONTROL_SLOT}, whichever is larger; on the native transport only.
     */
    static Reads batchReads(Channel channel, boolean offload, int msgSize) {
        if (!(channel instanceof EpollDatagramChannel epoll)) {
            return Reads.SINGLE;
        }
        if (offload && receiveBatches(channel)) {
            return Reads.GRO;
        }
        int slot = Math.max(msgSize, CONTROL_SLOT);
        epoll.config().setMaxDatagramPayloadSize(slot);
        epoll.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(slot * Math.max(1, Math.min(SLOTS, 4 * READ_BYTES / slot))));
        return Reads.RECVMMSG;
    }

    /** Turns GRO on for {@code channel}'s socket; false where the transport or the kernel has none. */
    static boolean receiveBatches(Channel channel) {
        if (!(channel instanceof EpollDatagramChannel epoll)) {
            return false;
        }
        try {
            epoll.config().setUdpGro(true);
            return true;
        } catch (ChannelException e) {
            return false;
        }
    }
}
