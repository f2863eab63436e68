/**
 * Round trips as distributions: recording each one into an HdrHistogram, percentiles, interval snapshots.
 *
 * <p>Uses: no other package of netbench (a bottom layer; ArchitectureTest checks it, docs/architecture.md draws the
 * layers).
 */
package dev.netbench.latency;
