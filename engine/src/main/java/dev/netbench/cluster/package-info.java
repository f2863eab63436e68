/**
 * The cluster matrix: finding agents, classifying pairs into scenarios, and running tests from one agent to another
 * through a remote-run request.
 *
 * <p>Uses: {@code admission}, {@code auth}, {@code client}, {@code host}, {@code json}, {@code protocol}, {@code
 * report}, {@code transport}.
 * Nothing else of {@code dev.netbench}: packages are layers and their graph has no cycle (ArchitectureTest
 * checks both; docs/architecture.md draws it).
 */
package dev.netbench.cluster;
