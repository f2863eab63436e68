/**
 * The UDP tests (udp_bw, udp_lat): datagrams and their codec, arrival statistics (loss, jitter, reordering),
 * the client's streams and the agent's cookie-checked sessions; udp_lat's ends on threads of their own.
 *
 * <p>Uses: {@code admission}, {@code auth}, {@code cpu}, {@code host}, {@code latency}, {@code protocol}, {@code
 * report}, {@code session}, {@code socket}.
 * Nothing else of {@code dev.netbench}: packages are layers and their graph has no cycle (ArchitectureTest
 * checks both; docs/architecture.md draws it).
 */
package dev.netbench.udp;
