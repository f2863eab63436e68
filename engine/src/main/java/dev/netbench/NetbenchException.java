package dev.netbench;

/** A failure the user must hear about in one line (unreachable server, rejected test); never a bug. */
public class NetbenchException extends RuntimeException {
    public NetbenchException(String message) {
        super(message);
    }

    public NetbenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
