/**
 * Who an end is: its identity (host name, kernel, CPU, Kubernetes node and pod) and netbench's version.
 *
 * <p>Uses: {@code protocol}.
 * Nothing else of {@code dev.netbench}: packages are layers and their graph has no cycle (ArchitectureTest
 * checks both; docs/architecture.md draws it).
 */
package dev.netbench.host;
