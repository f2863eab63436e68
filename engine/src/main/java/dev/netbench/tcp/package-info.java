/**
 * The TCP tests' endpoints (tcp_bw, tcp_lat, tcp_crr) on both sides of a connection, and which endpoint a test kind
 * installs.
 *
 * <p>Uses: {@code latency}, {@code protocol}, {@code session}, {@code socket}.
 * Nothing else of {@code dev.netbench}: packages are layers and their graph has no cycle (ArchitectureTest
 * checks both; docs/architecture.md draws it).
 */
package dev.netbench.tcp;
