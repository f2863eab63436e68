package dev.netbench.udp;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * Stateless address-validation cookies: HMAC-SHA256 under a per-process random key over the client's address,
 * port, its HELLO nonce and a 30-second epoch, truncated to 16 bytes. Only a client that receives datagrams at
 * its source address can echo one, so the server keeps no state and sends nothing big before it sees one.
 * A cookie is valid in the epoch it was minted and the next. Not thread-safe: one per event loop.
 */
final class Cookies {
    static final long EPOCH_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int LENGTH = 16;
    private final Mac mac;

    Cookies() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    String mint(InetSocketAddress peer, long nonce, long nowNanos) {
        return HexFormat.of().formatHex(compute(peer, nonce, Math.floorDiv(nowNanos, EPOCH_NANOS)));
    }

    boolean valid(String cookie, InetSocketAddress peer, long nonce, long nowNanos) {
        if (cookie == null || cookie.length() != 2 * LENGTH) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(cookie);
        } catch (IllegalArgumentException e) {
            return false;
        }
        long epoch = Math.floorDiv(nowNanos, EPOCH_NANOS);
        return MessageDigest.isEqual(given, compute(peer, nonce, epoch))
                || MessageDigest.isEqual(given, compute(peer, nonce, epoch - 1));
    }

    private byte[] compute(InetSocketAddress peer, long nonce, long epoch) {
        byte[] ip = peer.getAddress().getAddress();
        mac.update(ByteBuffer.allocate(ip.length + 4 + 16).put(ip).putInt(peer.getPort()).putLong(nonce).putLong(epoch).flip());
        byte[] full = mac.doFinal();
        byte[] out = new byte[LENGTH];
        System.arraycopy(full, 0, out, 0, LENGTH);
        return out;
    }
}
