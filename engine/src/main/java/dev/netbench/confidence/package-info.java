/**
 * Figures with their confidence: what N repeated samples of a figure say (median, range, the 95 % confidence
 * interval of their mean), docs/metrics.md "Repeated samples".
 */
package dev.netbench.confidence;
