package dev.netbench.protocol;

/**
 * Message payload consumed from one socket read: {@code bytes} of payload, of which {@code messagesCompleted}
 * messages ended. The payload itself is discarded by the decoder; tests only count it.
 */
public record DataRead(long bytes, int messagesCompleted) {
}
