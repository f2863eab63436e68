/**
 * A test's life on one connection, whatever the test: the endpoint's MARK/END window clock, the measured window and
 * its figures, the message sender and the pacing of a rate-limited one, the CPU and TCP_INFO samples at the window's
 * edges.
 *
 * <p>Uses: {@code cpu}, {@code host}, {@code protocol}, {@code report}, {@code socket}.
 * Nothing else of {@code dev.netbench}: packages are layers and their graph has no cycle (ArchitectureTest
 * checks both; docs/architecture.md draws it).
 */
package dev.netbench.session;
