/**
 * The HTML report: one self-contained page (inline CSS and SVG, no script) for a client run, a matrix or a
 * comparison, built from the report's records. Part of {@code report}'s layer.
 */
package dev.netbench.report.html;
