package dev.netbench.protocol;

/** A decoded control frame (every type but DATA). */
public record ControlFrame(FrameType type, Fields fields) {
}
