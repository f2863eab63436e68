/**
 * HTTP/1.1: the load generator (closed and open loop, keep-alive or a connection per request) and the agent's HTTP
 * target that answers it.
 *
 * <p>Uses: {@code admission}, {@code cpu}, {@code host}, {@code latency}, {@code report}, {@code transport}.
 * Nothing else of {@code dev.netbench}: packages are layers and their graph has no cycle (ArchitectureTest
 * checks both; docs/architecture.md draws it).
 */
package dev.netbench.http;
