package dev.netbench.report;

import dev.netbench.latency.RttFigures;

/**
 * tcp_crr figures: transactions (connect, request, response, close) started in the client's window of
 * {@code seconds} that completed, and those that failed; {@code transactionsPerSecond} = completed / seconds.
 * {@code connect} and {@code transaction} are the completed ones' times in µs (docs/metrics.md).
 */
public record ConnectRate(long transactions, long failed, double seconds, double transactionsPerSecond,
                          RttFigures connect, RttFigures transaction) {
}
