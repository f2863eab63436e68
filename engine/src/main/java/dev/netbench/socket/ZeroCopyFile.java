package dev.netbench.socket;

import dev.netbench.socket.SocketOptions;
import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import io.netty.channel.Channel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.AttributeKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;

/**
 * -Z/--zerocopy, as iperf3 -Z: the sending end of a tcp_bw stream sends each message with one sendfile(2) of msg_size
 * bytes from a file holding one message of zeros, instead of write(2) from its buffer, so the kernel hands the file's
 * pages to the socket and copies nothing from user space. The file is a memfd, or where memfd_create is missing or
 * refused, an unlinked temporary file. It holds written zeros, not a hole: before Linux 6.5 the kernel copies a
 * memfd hole's zero page into every sendfile. One file per data socket, attached to it before the test starts and
 * closed with it. Linux on a 64-bit JVM with native epoll, through JNA; sendfile is bound by JNA's direct mapping,
 * as it runs once per message.
 */
public final class ZeroCopyFile {
    private static final AttributeKey<ZeroCopyFile> KEY = AttributeKey.valueOf(ZeroCopyFile.class, "file");
    private static final int EAGAIN = 11;
    /** What this process's sendfile calls returned: the ground truth that -Z did not fall back to write(2). */
    private static final LongAdder CALLS = new LongAdder();
    private static final LongAdder BYTES = new LongAdder();
    private static final LongAdder FULL = new LongAdder();

    private final FileDescriptor file;
    private final int size;
    /** sendfile's offset argument, which the kernel advances: set back to the file's start before every call. */
    private final Memory offset = new Memory(Long.BYTES);

    private ZeroCopyFile(FileDescriptor file, int size) {
        this.file = file;
        this.size = size;
    }

    /** sendfile(2) alone, by direct mapping: far less per call than an interface proxy. */
    private static final class Direct {
        static native long sendfile(int outFd, int inFd, Pointer offset, long count) throws LastErrorException;
    }

    /** The calls made once per test; a C library without memfd_create fails only that call. */
    private interface LibC extends Library {
        int memfd_create(String name, int flags) throws LastErrorException;

        int mkstemp(Pointer template) throws LastErrorException;
    }

    /** Bound on first use of -Z, so that a process that never asks for it never binds them. */
    private static final class Bound {
        static final int MFD_CLOEXEC = 1;
        static final int ZEROS_CHUNK = 64 * 1024;
        static final LibC LIBC;
        static final Memory ZEROS;
        static final String MISSING;

        static {
            LibC libc = null;
            Memory zeros = null;
            String missing = null;
            try {
                if (Native.SIZE_T_SIZE != Long.BYTES) {
                    missing = "sendfile(2) is bound for 64-bit JVMs only";
                } else {
                    Native.register(Direct.class, NativeLibrary.getInstance("c"));
                    libc = Native.load("c", LibC.class);
                    zeros = new Memory(ZEROS_CHUNK);
                    zeros.clear();
                }
            } catch (Throwable t) { // UnsatisfiedLinkError, no JNA native library for this platform
                missing = "sendfile(2) could not be bound through JNA: " + t.getMessage();
            }
            LIBC = libc;
            ZEROS = zeros;
            MISSING = missing;
        }
    }

    /** Why -Z cannot be applied to this channel (Java NIO, no JNA or libc), or null when it can. */
    public static String unavailable(Channel ch) {
        String why = SocketOptions.unavailable(ch);
        return why != null ? why : Bound.MISSING;
    }

    /**
     * Gives the sending end's data socket {@code ch} a file of {@code size} zeros to send its messages from, closed
     * when the channel closes.
     */
    public static void attach(Channel ch, int size) {
        String why = unavailable(ch);
        if (why != null) {
            throw new SocketOptions.Failed("-Z/--zerocopy cannot be applied: " + why);
        }
        ZeroCopyFile file = new ZeroCopyFile(open(size), size);
        ch.attr(KEY).set(file);
        ch.closeFuture().addListener(f -> file.close());
    }

    /** The file {@link #attach} gave this channel, or null: it sends with write(2). */
    public static ZeroCopyFile attached(Channel ch) {
        return ch.hasAttr(KEY) ? ch.attr(KEY).get() : null;
    }

    /**
     * One message: one sendfile(2) of the whole file, from its start, to the non-blocking socket {@code socketFd}.
     * Returns the bytes the socket took, 0 when it had no room (EAGAIN), as Netty's write does.
     */
    public int sendTo(int socketFd) throws IOException {
        offset.setLong(0, 0);
        long sent;
        try {
            sent = Direct.sendfile(socketFd, file.intValue(), offset, size);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN) {
                FULL.increment();
                return 0;
            }
            throw new IOException("sendfile: " + SocketOptions.reason(e));
        }
        CALLS.increment();
        BYTES.add(sent);
        return (int) sent;
    }

    /** sendfile calls in this process that returned a byte count (0 included, EAGAIN not). */
    public static long calls() {
        return CALLS.sum();
    }

    /** The bytes those calls handed to sockets. */
    public static long bytes() {
        return BYTES.sum();
    }

    /** sendfile calls in this process that found the socket full (EAGAIN): with {@link #calls()}, every message's. */
    public static long full() {
        return FULL.sum();
    }

    private void close() {
        try {
            file.close();
        } catch (IOException ignored) {
            // a file only ever read from loses nothing if its close fails
        }
    }

    /** A memfd holding {@code size} zeros; where it cannot be had, an unlinked temporary file holding them. */
    private static FileDescriptor open(int size) {
        String memfd;
        try {
            return filled(new FileDescriptor(Bound.LIBC.memfd_create("netbench-zerocopy", Bound.MFD_CLOEXEC)), size);
        } catch (LastErrorException e) {
            memfd = SocketOptions.reason(e);
        } catch (UnsatisfiedLinkError | IOException e) { // UnsatisfiedLinkError: a C library older than glibc 2.27
            memfd = e.getMessage();
        }
        String template = Path.of(System.getProperty("java.io.tmpdir"), "netbench-zerocopy-XXXXXX").toString();
        try {
            return filled(unlinkedTemporary(template), size);
        } catch (LastErrorException e) {
            throw failed(memfd, template, SocketOptions.reason(e));
        } catch (IOException e) {
            throw failed(memfd, template, e.getMessage());
        }
    }

    private static SocketOptions.Failed failed(String memfd, String template, String temporary) {
        return new SocketOptions.Failed("-Z/--zerocopy: no file to send from: memfd_create: " + memfd + "; mkstemp("
                + template + "): " + temporary);
    }

    private static FileDescriptor unlinkedTemporary(String template) throws IOException {
        Memory name = new Memory(template.getBytes(Native.getDefaultStringEncoding()).length + 1L);
        name.setString(0, template);
        FileDescriptor file = new FileDescriptor(Bound.LIBC.mkstemp(name));
        try {
            Files.delete(Path.of(name.getString(0)));
            return file;
        } catch (IOException e) {
            file.close();
            throw e;
        }
    }

    private static FileDescriptor filled(FileDescriptor file, int size) throws IOException {
        try {
            long zeros = Pointer.nativeValue(Bound.ZEROS);
            for (int at = 0; at < size; ) {
                int n = file.writeAddress(zeros, 0, Math.min(Bound.ZEROS_CHUNK, size - at));
                if (n <= 0) {
                    throw new IOException("writing zeros made no progress");
                }
                at += n;
            }
            return file;
        } catch (IOException e) {
            file.close();
            throw e;
        }
    }
}
