/**
 * Thresholds that gate a pipeline ({@code --fail-if}): an expression over one figure of a test, as its JSON names
 * it, parsed with its unit and checked against a finished run.
 *
 * <p>Uses: {@code json}, {@code protocol}, {@code report}.
 * Nothing else of {@code dev.netbench}: packages are layers and their graph has no cycle (ArchitectureTest
 * checks both; docs/architecture.md draws it).
 */
package dev.netbench.gate;
