package dev.netbench.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.unix.DatagramSocketAddress;
import io.netty.channel.unix.Socket;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The agent's udp_lat (and mtu) echo on a thread of its own: each PING of the test's is answered on its socket with
 * one read(2) and one write(2), as qperf's server does. Everything else goes to the test's event loop, and once END
 * or FIN came the loop ends: from there the event loop closes the window and reads the socket again.
 */
final class EchoLoop implements OwnThread.Loop {
    /** Consecutive failed reads or writes (a client gone: ICMP port unreachable) the loop outlives. */
    private static final int ERRORS = 1000;

    /** The test the loop echoes for. */
    interface Session {
        /** Counts the PING and makes it its PONG, in place. */
        ByteBuf pong(ByteBuf ping);

        /** A datagram that is not the loop's to answer, for the test's event loop; {@code in} stays the caller's. */
        void forward(ByteBuf in, InetSocketAddress from);

        /** The client was heard from just now. */
        void heard();

        /** The test is closed: the loop lets go of its socket. */
        boolean stopping();
    }

    private final int id;
    private final InetSocketAddress peer;
    private final boolean busyPoll;
    private final Session session;
    private boolean handedOver;
    private int errors;

    EchoLoop(int id, InetSocketAddress peer, boolean busyPoll, Session session) {
        this.id = id;
        this.peer = peer;
        this.busyPoll = busyPoll;
        this.session = session;
    }

    /** Whatever the socket took before it was connected (a datagram of anyone's) goes to the test with its sender. */
    @Override
    public void before(Socket socket) throws IOException {
        ByteBuf in = Unpooled.directBuffer(Datagram.MAX, Datagram.MAX);
        try {
            for (DatagramSocketAddress from; (from = socket.recvFromAddress(in.memoryAddress(), 0, in.capacity())) != null; ) {
                in.setIndex(0, from.receivedAmount());
                session.forward(in, from);
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void run(Socket socket) throws IOException {
        ByteBuf in = Unpooled.directBuffer(Datagram.MAX, Datagram.MAX);
        try {
            while (!session.stopping() && !handedOver) {
                try {
                    int n = socket.readAddress(in.memoryAddress(), 0, in.capacity());
                    if (n > 0) {
                        in.setIndex(0, n);
                        onDatagram(socket, in);
                    } else {
                        OwnThread.idle(busyPoll);
                    }
                    errors = 0;
                } catch (IOException e) {
                    if (++errors > ERRORS && !session.stopping()) {
                        throw e;
                    }
                }
            }
        } finally {
            in.release();
        }
    }

    private void onDatagram(Socket socket, ByteBuf in) throws IOException {
        session.heard();
        DatagramType type = Datagram.type(in);
        if (type == DatagramType.PING && Datagram.session(in) == id) {
            ByteBuf p = session.pong(in);
            socket.writeAddress(p.memoryAddress(), p.readerIndex(), p.writerIndex());
            return;
        }
        handedOver |= type == DatagramType.END || type == DatagramType.FIN;
        session.forward(in, peer);
    }
}
