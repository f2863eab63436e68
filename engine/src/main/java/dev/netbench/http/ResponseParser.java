package dev.netbench.http;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;

/**
 * A lean HTTP/1.x response parser for the load generator: status line, the four headers it needs
 * (Content-Length, Transfer-Encoding, Connection, Server), then a Content-Length, chunked or read-until-close
 * body, counted and dropped. It allocates nothing per response. Anything it cannot parse is an
 * {@link HttpParseException}; limits bound every line and the header section.
 */
final class ResponseParser {
    static final int MAX_LINE = 8192;
    static final int MAX_HEADER_SECTION = 65536;
    /** Bytes copied out of the buffer per step while parsing lines: a typical whole header section. */
    private static final int WINDOW = 1024;
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION = "connection".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER = "server".getBytes(StandardCharsets.US_ASCII);
    private static final long LFS = 0x0a0a0a0a0a0a0a0aL;
    private static final long COLONS = 0x3a3a3a3a3a3a3a3aL;

    /** What the parser reports; called in stream order. */
    interface Listener {
        void onHead(int status, boolean keepAlive);

        /** The Server header's value; only asked for while {@link #wantsServer()} says so. */
        void onServer(String software);

        boolean wantsServer();

        void onBody(int bytes);

        void onComplete();
    }

    static final class HttpParseException extends Exception {
        HttpParseException(String message) {
            super(message, null, false, false);
        }
    }

    private enum State { STATUS, HEADERS, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE }

    private final Listener listener;
    /**
     * Where lines are parsed: a partial line carried from the last read, then up to WINDOW new bytes. One per
     * thread, not per parser: a load's connections share their event loop's, which stays in cache, and a parser
     * uses it only within {@link #feed}.
     */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[MAX_LINE + WINDOW];
        }
    };
    private byte[] line;
    private byte[] carry; // a partial line between reads, when there is one: lineLength bytes
    private int lineLength;
    private State state = State.STATUS;
    private int headerBytes;
    private int status;
    private boolean http11;
    private long contentLength;
    private boolean chunked;
    private int connection; // 0 unspecified, 1 close, 2 keep-alive
    private long remaining;

    ResponseParser(Listener listener) {
        this.listener = listener;
    }

    /** True between the first byte of a response and its end. */
    boolean midResponse() {
        return state != State.STATUS || lineLength > 0;
    }

    void feed(ByteBuf in) throws HttpParseException {
        while (in.isReadable()) {
            switch (state) {
                case STATUS, HEADERS, CHUNK_SIZE, CHUNK_END, TRAILERS -> lines(in);
                case BODY, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, in.readableBytes());
                    in.skipBytes(n);
                    remaining -= n;
                    listener.onBody(n);
                    if (remaining == 0) {
                        if (state == State.BODY) {
                            complete();
                        } else {
                            state = State.CHUNK_END;
                        }
                    }
                }
                case UNTIL_CLOSE -> {
                    int n = in.readableBytes();
                    in.skipBytes(n);
                    listener.onBody(n);
                }
            }
        }
    }

    /** The connection closed: completes a read-until-close body; returns false if a response was cut short. */
    boolean closed() {
        if (state == State.UNTIL_CLOSE) {
            complete();
            return true;
        }
        return !midResponse();
    }

    private boolean inLines() {
        return state == State.STATUS || state == State.HEADERS || state == State.CHUNK_SIZE
                || state == State.CHUNK_END || state == State.TRAILERS;
    }

    /**
     * Copies the next bytes of {@code in} behind the carried partial line in one go (cheaper than a copy per line
     * out of a direct buffer), handles every whole line there, and consumes from {@code in} exactly the bytes used:
     * up to the end of the last line when a body follows, all of them when a partial line is left to carry.
     */
    private void lines(ByteBuf in) throws HttpParseException {
        line = SCRATCH.get();
        int carried = lineLength;
        if (carried > 0) {
            System.arraycopy(carry, 0, line, 0, carried);
        }
        int n = Math.min(in.readableBytes(), WINDOW);
        in.getBytes(in.readerIndex(), line, carried, n);
        int end = carried + n;
        int start = 0;
        while (inLines()) {
            int i = LineBytes.indexOf(line, LFS, Math.max(start, carried), end); // a carried partial line has no LF
            if (i < 0) {
                break;
            }
            if (i - start > MAX_LINE) {
                throw new HttpParseException("line longer than " + MAX_LINE + " bytes");
            }
            if (state == State.HEADERS || state == State.STATUS) {
                headerBytes += i + 1 - start;
                if (headerBytes > MAX_HEADER_SECTION) {
                    throw new HttpParseException("header section longer than " + MAX_HEADER_SECTION + " bytes");
                }
            }
            int length = i > start && line[i - 1] == '\r' ? i - 1 - start : i - start;
            int from = start;
            start = i + 1;
            onLine(from, length);
        }
        if (!inLines()) {
            in.skipBytes(start - carried);
            lineLength = 0;
            return;
        }
        in.skipBytes(n);
        int rest = end - start;
        if (rest > MAX_LINE) {
            throw new HttpParseException("line longer than " + MAX_LINE + " bytes");
        }
        if (rest > 0) {
            if (carry == null) {
                carry = new byte[MAX_LINE];
            }
            System.arraycopy(line, start, carry, 0, rest);
        }
        lineLength = rest;
    }

    /** One line, {@code line[o, o + length)} without its CRLF. */
    private void onLine(int o, int length) throws HttpParseException {
        switch (state) {
            case STATUS -> statusLine(o, length);
            case HEADERS -> {
                if (length == 0) {
                    endOfHeaders();
                } else {
                    header(o, length);
                }
            }
            case CHUNK_SIZE -> {
                long size = chunkSize(o, length);
                if (size == 0) {
                    state = State.TRAILERS;
                } else {
                    remaining = size;
                    state = State.CHUNK_DATA;
                }
            }
            case CHUNK_END -> {
                if (length != 0) {
                    throw new HttpParseException("no CRLF after a chunk");
                }
                state = State.CHUNK_SIZE;
            }
            case TRAILERS -> {
                if (length == 0) {
                    complete();
                }
            }
            default -> throw new IllegalStateException(state.toString());
        }
    }

    private void statusLine(int o, int length) throws HttpParseException {
        // "HTTP/1.1 200 OK": version, space, three digits, then a space or the end
        if (length < 12 || !LineBytes.startsWith(line, o, "HTTP/1.") || (line[o + 7] != '0' && line[o + 7] != '1')
                || line[o + 8] != ' ' || (length > 12 && line[o + 12] != ' ')) {
            throw new HttpParseException("not an HTTP/1.x status line");
        }
        int code = 0;
        for (int i = o + 9; i < o + 12; i++) {
            if (line[i] < '0' || line[i] > '9') {
                throw new HttpParseException("status code is not three digits");
            }
            code = code * 10 + line[i] - '0';
        }
        if (code < 100 || code > 599) {
            // RFC 9110 15: 100..599 only (found by fuzzing: "050" passed as status 50)
            throw new HttpParseException("status code " + code + " outside 100..599");
        }
        status = code;
        http11 = line[o + 7] == '1';
        contentLength = -1;
        chunked = false;
        connection = 0;
        state = State.HEADERS;
    }

    private void header(int o, int length) throws HttpParseException {
        int end = o + length;
        int colon = LineBytes.indexOf(line, COLONS, o, end);
        if (colon <= o) {
            throw new HttpParseException("header line without a name");
        }
        // the name's length picks the one header it can be: most of a response's headers are skipped unread
        int name = colon - o;
        if (name == CONTENT_LENGTH.length && LineBytes.nameIs(line, o, CONTENT_LENGTH)) {
            int v = LineBytes.valueStart(line, colon + 1, end);
            contentLength(v, LineBytes.valueEnd(line, v, end));
        } else if (name == TRANSFER_ENCODING.length && LineBytes.nameIs(line, o, TRANSFER_ENCODING)) {
            int v = LineBytes.valueStart(line, colon + 1, end);
            chunked = LineBytes.containsToken(line, v, LineBytes.valueEnd(line, v, end), "chunked");
        } else if (name == CONNECTION.length && LineBytes.nameIs(line, o, CONNECTION)) {
            int v = LineBytes.valueStart(line, colon + 1, end);
            int vEnd = LineBytes.valueEnd(line, v, end);
            if (LineBytes.containsToken(line, v, vEnd, "close")) {
                connection = 1;
            } else if (LineBytes.containsToken(line, v, vEnd, "keep-alive")) {
                connection = 2;
            }
        } else if (name == SERVER.length && LineBytes.nameIs(line, o, SERVER) && listener.wantsServer()) {
            int v = LineBytes.valueStart(line, colon + 1, end);
            listener.onServer(new String(line, v, LineBytes.valueEnd(line, v, end) - v, StandardCharsets.ISO_8859_1));
        }
    }

    private void contentLength(int v, int vEnd) throws HttpParseException {
        long n = 0;
        if (v == vEnd || vEnd - v > 15) {
            throw new HttpParseException("bad Content-Length");
        }
        for (int i = v; i < vEnd; i++) {
            if (line[i] < '0' || line[i] > '9') {
                throw new HttpParseException("bad Content-Length");
            }
            n = n * 10 + line[i] - '0';
        }
        if (contentLength >= 0 && contentLength != n) {
            throw new HttpParseException("conflicting Content-Length headers");
        }
        contentLength = n;
    }

    private void endOfHeaders() {
        headerBytes = 0;
        if (status >= 100 && status < 200) {
            state = State.STATUS; // an interim response (100 Continue): the real one follows
            return;
        }
        boolean noBody = status == 204 || status == 304; // the generator sends GET only, never HEAD
        boolean untilClose = !noBody && !chunked && contentLength < 0;
        boolean keepAlive = !untilClose && (connection == 2 || (http11 && connection != 1));
        listener.onHead(status, keepAlive);
        if (noBody || (!chunked && contentLength == 0)) {
            complete();
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength > 0) {
            remaining = contentLength;
            state = State.BODY;
        } else {
            state = State.UNTIL_CLOSE;
        }
    }

    private long chunkSize(int o, int length) throws HttpParseException {
        long size = 0;
        int digits = 0;
        for (int i = o; i < o + length && line[i] != ';'; i++) {
            int c = line[i];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                if (c == ' ' || c == '\t') {
                    continue;
                }
                throw new HttpParseException("bad chunk size");
            }
            if (++digits > 15) {
                throw new HttpParseException("chunk size too large");
            }
            size = size * 16 + d;
        }
        if (digits == 0) {
            throw new HttpParseException("empty chunk size");
        }
        return size;
    }

    private void complete() {
        state = State.STATUS;
        listener.onComplete();
    }
}
