package dev.netbench.socket;

import io.netty.channel.unix.Socket;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Puts a socket Netty opened (always non-blocking) into blocking mode, so that a thread of its own can wait for the
 * peer inside read(2) itself, as qperf and iperf3 do, instead of in epoll_wait(2) and then read(2). Netty has no call
 * for it; the JDK's own fcntl wrapper ({@code sun.nio.ch.IOUtil}) does it, and netbench's jar exports that package to
 * itself (the manifest's {@code Add-Exports}). Run any other way (a plain class path), it is {@link #unavailable()}.
 */
public final class BlockingIo {
    private static final MethodHandle NEW_FD;
    private static final MethodHandle CONFIGURE_BLOCKING;
    private static final String UNAVAILABLE;
    /** Linux's, on every 64-bit architecture netbench's native epoll ships for (x86-64, aarch64, riscv64). */
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;

    static {
        MethodHandle newFd = null;
        MethodHandle configure = null;
        String why = null;
        try {
            Class<?> ioUtil = Class.forName("sun.nio.ch.IOUtil");
            MethodHandles.Lookup lookup = MethodHandles.lookup(); // publicLookup sees only unconditional exports
            newFd = lookup.findStatic(ioUtil, "newFD", MethodType.methodType(FileDescriptor.class, int.class));
            configure = lookup.findStatic(ioUtil, "configureBlocking", MethodType.methodType(void.class, FileDescriptor.class, boolean.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            why = "java.base/sun.nio.ch is not exported to netbench (run the jar with java -jar, or add "
                    + "--add-exports java.base/sun.nio.ch=ALL-UNNAMED): " + e.getClass().getSimpleName();
        }
        NEW_FD = newFd;
        CONFIGURE_BLOCKING = configure;
        UNAVAILABLE = why;
    }

    private BlockingIo() {
    }

    /** Why sockets cannot be put into blocking mode here, or null when they can. */
    public static String unavailable() {
        return UNAVAILABLE;
    }

    /**
     * Bounds how long a blocking read(2) on {@code socket} waits (SO_RCVTIMEO): it then fails with EAGAIN, which
     * Netty's read returns as 0 bytes, so a thread that waits for its peer also wakes to serve its own queue.
     */
    public static void setReadTimeout(Socket socket, long micros) throws IOException {
        ByteBuffer timeval = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
        timeval.putLong(0, micros / 1_000_000).putLong(8, micros % 1_000_000);
        socket.setRawOpt(SOL_SOCKET, SO_RCVTIMEO, timeval);
    }

    /** Sets or clears O_NONBLOCK on {@code fd}. */
    public static void setBlocking(int fd, boolean blocking) throws IOException {
        if (UNAVAILABLE != null) {
            throw new IOException(UNAVAILABLE);
        }
        try {
            CONFIGURE_BLOCKING.invokeExact((FileDescriptor) NEW_FD.invokeExact(fd), blocking);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException(e);
        }
    }
}
