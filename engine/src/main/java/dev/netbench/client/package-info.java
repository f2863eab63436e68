/**
 * Runs a plan of tests (each test kind, size and stream) against an agent, or against the in-process server a
 * loopback self-test is handed, and gathers the run's report; settings, handshake, -i interval lines.
 *
 * <p>Uses: {@code auth}, {@code cpu}, {@code host}, {@code http}, {@code latency}, {@code protocol}, {@code report},
 * {@code session}, {@code socket}, {@code tcp}, {@code transport}, {@code udp}.
 * Nothing else of {@code dev.netbench}: packages are layers and their graph has no cycle (ArchitectureTest
 * checks both; docs/architecture.md draws it).
 */
package dev.netbench.client;
