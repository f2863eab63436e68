package dev.netbench.auth;

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

    @Test
    void proofsDependOnTokenNoncesAndDirection() {
        String s = Token.nonce();
        String c = Token.nonce();
        String proof = token.clientProof(s, c);
        assertEquals(64, proof.length(), "hex of a 32-byte HMAC-SHA256");
        assertEquals(proof, Token.of("correct horse battery").clientProof(s, c), "same token, same nonces, same proof");
        assertNotEquals(proof, Token.of("correct horse battery!").clientProof(s, c));
        assertNotEquals(proof, token.clientProof(Token.nonce(), c), "a fresh server nonce: an old proof is useless");
        assertNotEquals(proof, token.serverProof(s, c), "the server's proof cannot be replayed as the client's");
        assertFalse(proof.contains("correct"));
    }

    @Test
    void matchesOnlyTheExactProof() {
        String p = token.clientProof(Token.nonce(), Token.nonce());
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
        assertEquals(Token.of("from-the-file").clientProof(s, c),
                Token.resolve(file, Map.of(Token.ENV, "from-the-env")).clientProof(s, c), "file first, newline stripped");
        assertEquals(Token.of("from-the-env").clientProof(s, c), Token.resolve(null, Map.of(Token.ENV, "from-the-env")).clientProof(s, c));
        assertNull(Token.resolve(null, Map.of()));
        assertNull(Token.resolve(null, Map.of(Token.ENV, "  ")));
        assertThrows(IllegalArgumentException.class, () -> Token.resolve(dir.resolve("missing"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Token.of("short"));
        assertEquals("Token[redacted]", token.toString());
    }
}
