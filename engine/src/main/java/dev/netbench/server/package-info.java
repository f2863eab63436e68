/**
 * The agent: one listener per protocol (netbench's, HTTP, iperf3's, UDP), the handshake that hands each connection to
 * its test, remote runs, shutdown.
 *
 * <p>Uses: {@code admission}, {@code auth}, {@code client}, {@code cluster}, {@code cpu}, {@code host}, {@code http},
 * {@code iperf3}, {@code protocol}, {@code report}, {@code session}, {@code socket}, {@code tcp}, {@code transport},
 * {@code udp}.
 * Nothing else of {@code dev.netbench}: packages are layers and their graph has no cycle (ArchitectureTest
 * checks both; docs/architecture.md draws it).
 */
package dev.netbench.server;
