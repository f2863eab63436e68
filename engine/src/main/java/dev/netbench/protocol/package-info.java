/**
 * netbench's wire protocol (docs/protocol.md): frame types and their codec, the key-value fields of control frames,
 * test specs, socket knobs, the decoders that split a stream into messages and frames.
 *
 * <p>Uses: no other package of netbench (a bottom layer; ArchitectureTest checks it, docs/architecture.md draws the
 * layers).
 */
package dev.netbench.protocol;
