package dev.netbench.iperf3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What netbench knows of iperf3 3.x's wire protocol, as observed from Debian's iperf3 3.12 (docs/iperf3-compat.md):
 * the cookie a connection opens with, the one-byte states on the control connection, the 4-byte length that
 * prefixes every JSON document, the error codes an iperf3 client prints a message for, and the 4-byte datagrams
 * that open a UDP stream.
 */
public final class Iperf3 {
    /** iperf3's default port; netbench's client uses it when --iperf3 names no port. */
    public static final int DEFAULT_PORT = 5201;
    /** The cookie: 36 characters, then a NUL; every connection of one test opens with the same cookie. */
    public static final int COOKIE_CHARS = 36;
    public static final int COOKIE_BYTES = COOKIE_CHARS + 1;
    /** The longest JSON document (parameters or results) this end reads; a longer length prefix is hostile. */
    public static final int MAX_JSON = 64 * 1024;
    /** iperf3's own limits, which its client enforces and netbench's server enforces again. */
    public static final int MAX_STREAMS = 128;
    public static final int MAX_TCP_BLOCK = 1024 * 1024;
    public static final int MAX_UDP_BLOCK = 65507;
    public static final int MIN_UDP_BLOCK = 16;
    public static final int MAX_SECONDS = 86400;
    /** UDP stream set-up: the client's first datagram on a stream and the server's answer, 4 bytes each. */
    public static final int UDP_CONNECT_MSG = 0x39383736; // "9876" on the wire
    public static final int UDP_CONNECT_REPLY = 0x36373839; // "6789"
    /** UDP data header: seconds and microseconds of the send time, then the sequence number (32 or 64 bits). */
    public static final int UDP_HEADER_32 = 12;
    public static final int UDP_HEADER_64 = 16;

    /** The one-byte states on the control connection (signed: ACCESS_DENIED is 0xFF, SERVER_ERROR 0xFE). */
    public static final byte TEST_START = 1;
    public static final byte TEST_RUNNING = 2;
    public static final byte TEST_END = 4;
    public static final byte PARAM_EXCHANGE = 9;
    public static final byte CREATE_STREAMS = 10;
    public static final byte SERVER_TERMINATE = 11;
    public static final byte CLIENT_TERMINATE = 12;
    public static final byte EXCHANGE_RESULTS = 13;
    public static final byte DISPLAY_RESULTS = 14;
    public static final byte IPERF_DONE = 16;
    public static final byte ACCESS_DENIED = -1;
    public static final byte SERVER_ERROR = -2;

    /**
     * Error codes that follow SERVER_ERROR (a 4-byte code, then a 4-byte errno, both big-endian); the iperf3
     * client prints its own message for each: these are the ones observed to read right for what netbench refuses.
     */
    public static final int ERR_DURATION = 5;      // "test duration too long (maximum = 86400 seconds)"
    public static final int ERR_STREAMS = 6;       // "number of parallel streams too large (maximum = 128)"
    public static final int ERR_BLOCK = 7;         // "block size too large (maximum = 1048576 bytes)"
    public static final int ERR_NOT_IMPLEMENTED = 13; // "an option you are trying to set is not implemented yet"
    public static final int ERR_UDP_BLOCK = 20;    // "block size invalid (minimum = 16 bytes, maximum = 65507 bytes)"
    public static final int ERR_RECV_PARAMS = 114; // "unable to receive parameters from client"
    public static final int ERR_SERVER_BUSY = 121; // "the server is busy running a test. try again later"

    private Iperf3() {
    }

    /** A cookie character as iperf3 makes them (lower-case base32); digits 0, 1, 8, 9 are accepted too. */
    public static boolean cookieChar(int b) {
        return (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9');
    }

    /** A fresh cookie, as an iperf3 client makes one: 36 random characters of a-z, 2-7. */
    public static String newCookie() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        java.security.SecureRandom r = new java.security.SecureRandom();
        StringBuilder b = new StringBuilder(COOKIE_CHARS);
        for (int i = 0; i < COOKIE_CHARS; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /**
     * A test's block: random bytes, as iperf3 sends (incompressible), in direct memory, so a socket write sends it
     * without first copying it out of the Java heap.
     */
    static ByteBuf randomBlock(int size) {
        byte[] random = new byte[size];
        ThreadLocalRandom.current().nextBytes(random);
        return Unpooled.directBuffer(size, size).writeBytes(random);
    }

    static byte[] cookieBytes(String cookie) {
        byte[] out = new byte[COOKIE_BYTES];
        System.arraycopy(cookie.getBytes(StandardCharsets.US_ASCII), 0, out, 0, COOKIE_CHARS);
        return out;
    }

    /** The name of a state byte, for log lines. */
    static String stateName(int b) {
        return switch ((byte) b) {
            case TEST_START -> "TEST_START";
            case TEST_RUNNING -> "TEST_RUNNING";
            case TEST_END -> "TEST_END";
            case PARAM_EXCHANGE -> "PARAM_EXCHANGE";
            case CREATE_STREAMS -> "CREATE_STREAMS";
            case SERVER_TERMINATE -> "SERVER_TERMINATE";
            case CLIENT_TERMINATE -> "CLIENT_TERMINATE";
            case EXCHANGE_RESULTS -> "EXCHANGE_RESULTS";
            case DISPLAY_RESULTS -> "DISPLAY_RESULTS";
            case IPERF_DONE -> "IPERF_DONE";
            case ACCESS_DENIED -> "ACCESS_DENIED";
            case SERVER_ERROR -> "SERVER_ERROR";
            default -> "state " + b;
        };
    }

    /** A length prefix out of 1..{@link #MAX_JSON}: a hostile or broken peer. */
    static final class BadLength extends Exception {
        BadLength(long length) {
            super("a JSON length prefix of " + length + " bytes (1.." + MAX_JSON + ")");
        }
    }

    /** A 4-byte length and that many bytes of UTF-8 from {@code in}; null until all of it is here. */
    static String readJson(ByteBuf in) throws BadLength {
        if (in.readableBytes() < 4) {
            return null;
        }
        long length = in.getUnsignedInt(in.readerIndex());
        if (length == 0 || length > MAX_JSON) {
            throw new BadLength(length);
        }
        if (in.readableBytes() < 4 + length) {
            return null;
        }
        in.skipBytes(4);
        return in.readCharSequence((int) length, StandardCharsets.UTF_8).toString();
    }
}
