/**
 * The shared token (a file or the environment) and the agent's check of it in a HELLO.
 *
 * <p>Uses: {@code admission}, {@code protocol}.
 * Nothing else of {@code dev.netbench}: packages are layers and their graph has no cycle (ArchitectureTest
 * checks both; docs/architecture.md draws it).
 */
package dev.netbench.auth;
