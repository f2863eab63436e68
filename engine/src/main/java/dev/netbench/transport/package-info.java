/**
 * The socket transport: native epoll where it loads, else NIO; event loop groups, the receive buffer policy, read
 * backpressure.
 *
 * <p>Uses: no other package of netbench (a bottom layer; ArchitectureTest checks it, docs/architecture.md draws the
 * layers).
 */
package dev.netbench.transport;
