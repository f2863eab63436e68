/**
 * What the agent admits and refuses, and its account of what it served: the limits, admission of tests, connections
 * per address, idle timeouts, the agent's counters and its rate-limited log.
 *
 * <p>Uses: {@code protocol}, {@code report}.
 * Nothing else of {@code dev.netbench}: packages are layers and their graph has no cycle (ArchitectureTest
 * checks both; docs/architecture.md draws it).
 */
package dev.netbench.admission;
