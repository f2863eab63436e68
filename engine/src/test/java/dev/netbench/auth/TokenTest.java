package dev.netbench.auth;

import dev.netbench.protocol.Fields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenTest {
    private final Token token = Token.of("correct horse battery");
    private static final Fields HELLO = Fields.builder().put("test", "tcp_lat").put("msg_size", 1).build();

    @Test
    void proofsCoverTheHelloButNotItsAuthFields() {
        String s = Token.nonce();
        String c = Token.nonce();
        Fields other = Fields.builder().put("op", "remote").put("run.host", "10.0.0.9").build();
        assertNotEquals(token.clientProof(s, c, HELLO), token.clientProof(s, c, other), "a relayed proof vouches for its own HELLO only");
        Fields withAuth = Fields.builder().putAll(HELLO, "").put("auth.cnonce", c).put("auth.proof", "x").build();
        assertEquals(token.clientProof(s, c, HELLO), token.clientProof(s, c, withAuth), "the proof cannot cover itself");
        Fields reordered = Fields.builder().put("msg_size", 1).put("test", "tcp_lat").build();
        assertEquals(token.clientProof(s, c, HELLO), token.clientProof(s, c, reordered), "field order does not matter");
        // length prefixes: moving a boundary between key and value changes the encoding
        assertNotEquals(token.clientProof(s, c, Fields.builder().put("ab", "c").build()),
                token.clientProof(s, c, Fields.builder().put("a", "bc").build()));
    }

    @Test
    void proofsDependOnTokenNoncesAndDirection() {
        String s = Token.nonce();
        String c = Token.nonce();
        String proof = token.clientProof(s, c, HELLO);
        assertEquals(64, proof.length(), "hex of a 32-byte HMAC-SHA256");
        assertEquals(proof, Token.of("correct horse battery").clientProof(s, c, HELLO), "same token, same nonces, same proof");
        assertNotEquals(proof, Token.of("correct horse battery!").clientProof(s, c, HELLO));
        assertNotEquals(proof, token.clientProof(Token.nonce(), c, HELLO), "a fresh server nonce: an old proof is useless");
        assertNotEquals(proof, token.serverProof(s, c, HELLO), "the server's proof cannot be replayed as the client's");
        assertFalse(proof.contains("correct"));
    }

    @Test
    void matchesOnlyTheExactProof() {
        String p = token.clientProof(Token.nonce(), Token.nonce(), HELLO);
        assertTrue(Token.matches(p, p));
        assertFalse(Token.matches(p, null));
        assertFalse(Token.matches(p, p.substring(1)));
        assertFalse(Token.matches(p, p.toUpperCase().equals(p) ? p.toLowerCase() : p.toUpperCase()));
    }

    @Test
    void noncesAreFreshHex() {
        String n = Token.nonce();
        assertTrue(Token.isNonce(n));
        assertNotEquals(n, Token.nonce());
        assertFalse(Token.isNonce(null));
        assertFalse(Token.isNonce(n + "0"));
        assertFalse(Token.isNonce("g".repeat(32)));
    }

    @Test
    void resolvesFileThenEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "from-the-file\n");
        String s = Token.nonce();
        String c = Token.nonce();
        assertEquals(Token.of("from-the-file").clientProof(s, c, HELLO),
                Token.resolve(file, Map.of(Token.ENV, "from-the-env")).clientProof(s, c, HELLO), "file first, newline stripped");
        assertEquals(Token.of("from-the-env").clientProof(s, c, HELLO), Token.resolve(null, Map.of(Token.ENV, "from-the-env")).clientProof(s, c, HELLO));
        assertNull(Token.resolve(null, Map.of()));
        assertNull(Token.resolve(null, Map.of(Token.ENV, "  ")));
        assertThrows(IllegalArgumentException.class, () -> Token.resolve(dir.resolve("missing"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Token.of("short"));
        assertEquals("Token[redacted]", token.toString());
    }
}
