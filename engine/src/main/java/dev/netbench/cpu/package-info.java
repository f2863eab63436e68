/**
 * CPU accounting from /proc: the process's and the host's busy time, per mode, softirq counts, the JIT compiler
 * threads' share, the host's idle baseline, and cost per GB moved (docs/metrics.md).
 *
 * <p>Uses: no other package of netbench (a bottom layer; ArchitectureTest checks it, docs/architecture.md draws the
 * layers).
 */
package dev.netbench.cpu;
