/**
 * JSON for netbench's own documents: a small writer and a reader into maps and lists.
 *
 * <p>Uses: no other package of netbench (a bottom layer; ArchitectureTest checks it, docs/architecture.md draws the
 * layers).
 */
package dev.netbench.json;
