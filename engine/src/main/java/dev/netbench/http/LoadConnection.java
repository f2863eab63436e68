package dev.netbench.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/**
 * A load slot's connection to the server, the one transport-specific part of the load generator: it connects,
 * sends the run's request and hands the slot what it reads. Confined to its event loop, where it calls its slot
 * back (a connect that fails at once, from inside {@link #connect()}).
 */
interface LoadConnection {
    /** Starts connecting; the answer is {@link Events#connected} or {@link Events#connectFailed}. */
    void connect();

    /** Sends the run's request. */
    void send();

    /** Closes the connection; its slot hears nothing more from it. */
    void close();

    /** Connected, and neither side has closed it. */
    boolean isOpen();

    /** What a connection tells its slot. */
    interface Events {
        void connected(LoadConnection c);

        /** The connect failed ({@code cause}: a {@link java.net.ConnectException} when the peer refused it); it is closed. */
        void connectFailed(LoadConnection c, Throwable cause);

        /** Bytes arrived, read at {@code readAt} (System.nanoTime); {@code data} is only valid during the call. */
        void received(LoadConnection c, ByteBuf data, long readAt);

        /** The server closed the connection. */
        void closed(LoadConnection c);

        /** The connection broke (an {@link java.io.IOException}) or failed otherwise; it is closed. */
        void failed(LoadConnection c, Throwable cause);
    }

    /** Makes a run's connections: each to the same address, each sending the same request. */
    interface Factory {
        LoadConnection newConnection(EventLoop loop, Events events);
    }
}
