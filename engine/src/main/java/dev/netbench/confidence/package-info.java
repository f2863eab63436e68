/**
 * Figures with their confidence: what N repeated samples of a figure say (median, range, the 95 % confidence
 * interval of their mean) and whether two sets of samples differ (Welch's t-test), docs/metrics.md "Repeated samples".
 *
 * <p>Uses: no other package of netbench (a bottom layer; ArchitectureTest checks it, docs/architecture.md draws the
 * layers).
 */
package dev.netbench.confidence;
