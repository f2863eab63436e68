package dev.netbench.auth;

import dev.netbench.admission.RateLimitedLog;
import dev.netbench.auth.Token;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The agent's side of authentication: its token (or none), whether every test needs it, the rate-limited log of
 * refusals, and which client addresses hold an authenticated tcp_crr test (its transaction connections carry no
 * handshake of their own, so under {@code --require-token} they are let in by address while that test runs).
 */
public final class AgentAuth {
    private final Token token;
    private final boolean required;
    private final RateLimitedLog refusals;
    private final ConcurrentHashMap<InetAddress, Integer> transactionClients = new ConcurrentHashMap<>();

    public AgentAuth(Token token, boolean required, Consumer<String> log) {
        if (required && token == null) {
            throw new IllegalArgumentException("--require-token needs a token (--token-file or " + Token.ENV + ")");
        }
        this.token = token;
        this.required = required;
        this.refusals = new RateLimitedLog(log, "auth_refused", "refused_since_last_line");
    }

    public Token token() {
        return token;
    }

    public boolean required() {
        return required;
    }

    public void refused(Object peer, String reason) {
        refusals.event(peer, reason);
    }

    public void transactionsOpened(InetAddress client) {
        transactionClients.merge(client, 1, Integer::sum);
    }

    public void transactionsClosed(InetAddress client) {
        transactionClients.computeIfPresent(client, (k, n) -> n == 1 ? null : n - 1);
    }

    public boolean mayTransact(InetAddress client) {
        return !required || transactionClients.containsKey(client);
    }
}
