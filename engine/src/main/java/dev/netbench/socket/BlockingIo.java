package dev.netbench.socket;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

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
