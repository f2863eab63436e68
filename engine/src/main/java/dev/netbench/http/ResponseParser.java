package dev.netbench.http;

import io.netty.buffer.ByteBuf;

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
    private final byte[] line = new byte[MAX_LINE];
    private int lineLength;
    private boolean lineOverflow;
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
                case STATUS, HEADERS, CHUNK_SIZE, CHUNK_END, TRAILERS -> {
                    if (readLine(in)) {
                        onLine();
                    }
                }
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

    /** Appends bytes up to LF to {@link #line}; true when a whole line (without CRLF) is there. */
    private boolean readLine(ByteBuf in) throws HttpParseException {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        int end = lf < 0 ? in.writerIndex() : lf;
        int n = end - in.readerIndex();
        if (lineLength + n > MAX_LINE) {
            throw new HttpParseException("line longer than " + MAX_LINE + " bytes");
        }
        in.readBytes(line, lineLength, n);
        lineLength += n;
        if (state == State.HEADERS || state == State.STATUS) {
            headerBytes += n + (lf < 0 ? 0 : 1);
            if (headerBytes > MAX_HEADER_SECTION) {
                throw new HttpParseException("header section longer than " + MAX_HEADER_SECTION + " bytes");
            }
        }
        if (lf < 0) {
            return false;
        }
        in.skipBytes(1);
        if (lineLength > 0 && line[lineLength - 1] == '\r') {
            lineLength--;
        }
        return true;
    }

    private void onLine() throws HttpParseException {
        int length = lineLength;
        lineLength = 0;
        switch (state) {
            case STATUS -> statusLine(length);
            case HEADERS -> {
                if (length == 0) {
                    endOfHeaders();
                } else {
                    header(length);
                }
            }
            case CHUNK_SIZE -> {
                long size = chunkSize(length);
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

    private void statusLine(int length) throws HttpParseException {
        // "HTTP/1.1 200 OK": version, space, three digits, then a space or the end
        if (length < 12 || !startsWith("HTTP/1.") || (line[7] != '0' && line[7] != '1') || line[8] != ' '
                || (length > 12 && line[12] != ' ')) {
            throw new HttpParseException("not an HTTP/1.x status line");
        }
        int code = 0;
        for (int i = 9; i < 12; i++) {
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
        http11 = line[7] == '1';
        contentLength = -1;
        chunked = false;
        connection = 0;
        state = State.HEADERS;
    }

    private void header(int length) throws HttpParseException {
        int colon = -1;
        for (int i = 0; i < length; i++) {
            if (line[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            throw new HttpParseException("header line without a name");
        }
        int v = colon + 1;
        while (v < length && (line[v] == ' ' || line[v] == '\t')) {
            v++;
        }
        int vEnd = length;
        while (vEnd > v && (line[vEnd - 1] == ' ' || line[vEnd - 1] == '\t')) {
            vEnd--;
        }
        if (nameIs(colon, "content-length")) {
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
        } else if (nameIs(colon, "transfer-encoding")) {
            chunked = containsToken(v, vEnd, "chunked");
        } else if (nameIs(colon, "connection")) {
            if (containsToken(v, vEnd, "close")) {
                connection = 1;
            } else if (containsToken(v, vEnd, "keep-alive")) {
                connection = 2;
            }
        } else if (nameIs(colon, "server") && listener.wantsServer()) {
            listener.onServer(new String(line, v, vEnd - v, StandardCharsets.ISO_8859_1));
        }
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

    private long chunkSize(int length) throws HttpParseException {
        long size = 0;
        int digits = 0;
        for (int i = 0; i < length && line[i] != ';'; i++) {
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

    private boolean startsWith(String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (line[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Case-insensitive match of the header name {@code line[0, length)} against a lower-case name. */
    private boolean nameIs(int length, String lower) {
        if (length != lower.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            int c = line[i];
            if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** True when the comma-separated value {@code line[from, to)} holds {@code token}, case-insensitively. */
    private boolean containsToken(int from, int to, String token) {
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || line[i] == ',') {
                int s = start;
                int e = i;
                while (s < e && line[s] == ' ') {
                    s++;
                }
                while (e > s && line[e - 1] == ' ') {
                    e--;
                }
                if (e - s == token.length()) {
                    boolean same = true;
                    for (int k = 0; k < token.length() && same; k++) {
                        int c = line[s + k];
                        same = (c >= 'A' && c <= 'Z' ? c + 32 : c) == token.charAt(k);
                    }
                    if (same) {
                        return true;
                    }
                }
                start = i + 1;
            }
        }
        return false;
    }
}
