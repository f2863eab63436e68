/**
 * iperf3's control protocol and JSON: serving iperf3 clients on the agent and driving iperf3 servers from the client,
 * paced by the engine's {@code session.Pacer} and counted by its {@code udp.ArrivalStats}.
 *
 * <p>Uses: {@code admission}, {@code cpu}, {@code host}, {@code json}, {@code protocol}, {@code report},
 * {@code session}, {@code transport}, {@code udp}.
 * Nothing else of {@code dev.netbench}: packages are layers and their graph has no cycle (ArchitectureTest
 * checks both; docs/architecture.md draws it).
 */
package dev.netbench.iperf3;
