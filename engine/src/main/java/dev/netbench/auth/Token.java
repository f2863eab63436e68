package dev.netbench.auth;

import dev.netbench.protocol.Fields;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agents' shared secret. It never crosses the wire: each side proves it holds the token with an HMAC-SHA256
 * over both sides' fresh nonces and the HELLO (docs/security.md), so a recorded handshake cannot be replayed, a
 * relayed proof cannot vouch for another request, and nothing about the token is revealed.
 */
public final class Token {
    public static final String ENV = "NETBENCH_TOKEN";
    /** Nonce length in bytes: 128 random bits per side. */
    public static final int NONCE_BYTES = 16;
    private static final int MIN_LENGTH = 8;
    private static final int MAX_FILE_BYTES = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private Token(byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    public static Token of(String secret) {
        String s = secret.strip();
        if (s.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("token is shorter than " + MIN_LENGTH + " characters");
        }
        return new Token(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The token from {@code --token-file} if given, else from {@code NETBENCH_TOKEN} in {@code env}, else null.
     * Surrounding whitespace (a file's trailing newline) is not part of it.
     */
    public static Token resolve(Path file, Map<String, String> env) {
        if (file != null) {
            try {
                if (Files.size(file) > MAX_FILE_BYTES) {
                    throw new IllegalArgumentException("token file " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
                }
                return of(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read token file " + file + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().startsWith("token file") ? e.getMessage()
                        : "token file " + file + ": " + e.getMessage());
            }
        }
        String fromEnv = env.get(ENV);
        return fromEnv == null || fromEnv.isBlank() ? null : of(fromEnv);
    }

    /** A fresh random nonce, hex-encoded for a handshake field. */
    public static String nonce() {
        byte[] b = new byte[NONCE_BYTES];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * What the client sends: proves the token over the server's challenge, its own nonce and its HELLO, so a relay
     * cannot pass a proof made for one request off as the proof of another.
     */
    public String clientProof(String serverNonce, String clientNonce, Fields hello) {
        return mac("netbench-auth-v1 client", serverNonce, clientNonce, hello);
    }

    /** What the server sends back: proves to the client that the agent holds the same token and read its HELLO. */
    public String serverProof(String serverNonce, String clientNonce, Fields hello) {
        return mac("netbench-auth-v1 server", serverNonce, clientNonce, hello);
    }

    /** Compares in constant time, so timing does not tell how much of a forged proof was right. */
    public static boolean matches(String expected, String received) {
        return received != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                received.getBytes(StandardCharsets.US_ASCII));
    }

    /** A well-formed nonce: exactly {@link #NONCE_BYTES} bytes in hex. Anything else is refused before any MAC. */
    public static boolean isNonce(String s) {
        if (s == null || s.length() != NONCE_BYTES * 2) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private String mac(String label, String serverNonce, String clientNonce, Fields hello) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            m.update((label + "\n" + serverNonce + "\n" + clientNonce + "\n").getBytes(StandardCharsets.US_ASCII));
            m.update(canonical(hello));
            return HexFormat.of().formatHex(m.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e); // every Java 17 runtime has it
        }
    }

    /**
     * The HELLO as both ends see it: every field but the {@code auth.*} ones (which carry the proof itself), sorted
     * by key, each key and value length-prefixed so no two field lists encode alike.
     */
    static byte[] canonical(Fields hello) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(hello.asMap()).forEach((k, v) -> {
            if (!k.startsWith("auth.")) {
                b.append(k.length()).append(':').append(k).append(v.length()).append(':').append(v);
            }
        });
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Token[redacted]";
    }
}
