package dev.netbench.report;

import dev.netbench.protocol.TestKind;

/**
 * A test that started and did not finish (the server went away, aborted it, or stopped answering): why, and the
 * client's own counts up to that moment, warm-up included, summed over the streams. There are no server figures
 * and no measured window: these are not results, only how far the test got.
 *
 * @param seconds  from the start of the test's traffic (warm-up included) to the failure
 * @param bytes    payload bytes this end sent and received
 * @param messages messages sent and received (tcp_bw, tcp_lat, udp_*), completed transactions (tcp_crr)
 */
public record Partial(TestKind test, int msgSize, int streams, boolean reverse, String error,
                      double seconds, long bytes, long messages) {
}
