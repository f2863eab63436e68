package dev.netbench.protocol;

/** A peer sent bytes that break the netbench wire protocol; the connection that carried them is closed. */
public final class ProtocolException extends RuntimeException {
    public ProtocolException(String message) {
        super(message, null, false, false);
    }
}
