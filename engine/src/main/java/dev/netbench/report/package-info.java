/**
 * The figures of a run as immutable records, and their text, JSON and CSV forms; {@code report.html} renders them as
 * a self-contained HTML page. Measures nothing.
 *
 * <p>One word per concept, across the engine: <b>Stats</b> is a live accumulator confined to one thread while a test
 * measures ({@code udp.ArrivalStats}, {@code http.LoadStats}); <b>Figures</b> are immutable numbers one end or one
 * test measured ({@code EndFigures}, {@code latency.RttFigures}, {@code HttpFigures}, {@code udp.ArrivalFigures});
 * an <b>Outcome</b> is how one connection's test ended as the client sees it, both ends' figures
 * ({@code session.Outcome}, {@code udp.UdpOutcome}); a <b>Result</b> is one test's figures joined for the run
 * ({@code TestResult}, made by {@code client.Results} and {@code udp.UdpResults}); a <b>Report</b> is a whole run
 * ({@code RunReport}) or its rendering.
 *
 * <p>Uses: {@code confidence}, {@code cpu}, {@code host}, {@code json}, {@code latency}, {@code protocol}.
 * Nothing else of {@code dev.netbench}: packages are layers and their graph has no cycle (ArchitectureTest
 * checks both; docs/architecture.md draws it).
 */
package dev.netbench.report;
