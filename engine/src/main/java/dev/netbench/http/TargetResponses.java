package dev.netbench.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * The HTTP target's responses, encoded once: a request costs a buffer duplicate and a write, never a header
 * encoder, so the target stays far below the cost of what it measures.
 */
final class TargetResponses {
    /** {@code GET /}: a small fixed body, like a tiny static page. */
    static final String ROOT_BODY = "netbench http target\n";
    static final String HEALTH_BODY = "ok\n";
    /** Largest body {@code GET /bytes/N} serves; a larger N is a 400. */
    static final int MAX_BYTES = 16 * 1024 * 1024;

    private TargetResponses() {
    }

    /** A whole response, status line to body, in a direct buffer (callers write retained duplicates of it). */
    static ByteBuf encode(int status, String reason, String contentType, byte[] body, int bodyLength, boolean keepAlive, boolean head) {
        String headers = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Server: netbench\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + bodyLength + "\r\n"
                + "Connection: " + (keepAlive ? "keep-alive" : "close") + "\r\n\r\n";
        byte[] head0 = headers.getBytes(StandardCharsets.US_ASCII);
        int length = head0.length + (head ? 0 : bodyLength);
        ByteBuf buf = Unpooled.directBuffer(length, length).writeBytes(head0);
        if (!head) {
            if (body != null) {
                buf.writeBytes(body, 0, bodyLength);
            } else {
                buf.writeZero(bodyLength);
            }
        }
        return buf;
    }

    static ByteBuf text(int status, String reason, String body, boolean keepAlive, boolean head) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return encode(status, reason, "text/plain; charset=utf-8", bytes, bytes.length, keepAlive, head);
    }
}
