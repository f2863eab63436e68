package dev.netbench.protocol;

/** A whole TXN frame (tcp_crr) of {@code size} payload bytes; the decoder has discarded the payload itself. */
public record TxnFrame(int size) {
}
