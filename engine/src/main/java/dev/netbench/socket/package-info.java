/**
 * A TCP data socket below the tests: its options and their read-back (TCP_INFO, buffers, congestion control, TOS),
 * the sender's TCP_INFO probe, and sendfile(2) from a file of zeros for -Z.
 *
 * <p>Uses: {@code protocol}, {@code report}.
 * Nothing else of {@code dev.netbench}: packages are layers and their graph has no cycle (ArchitectureTest
 * checks both; docs/architecture.md draws it).
 */
package dev.netbench.socket;
