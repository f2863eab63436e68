package dev.netbench.report;

import java.util.Locale;

/** The text of an HTTP test: ab's report, with wrk2's schedule where the load was open loop. */
final class HttpText {
    private HttpText() {
    }

    /** ab's report, in microseconds and with exact means. */
    static void block(StringBuilder out, HttpFigures h) {
        HttpFigures.Failures f = h.failures();
        String[][] rows = {
                {"URL", h.url()},
                {"Server Software", h.serverSoftware() == null ? "" : h.serverSoftware()},
                {"Document Length", h.documentLength() + " bytes"},
                {"Concurrency Level", String.valueOf(h.concurrency())},
                {"Mode", (h.rate() > 0 ? "open loop at " + Units.fixed3(h.rate()) + " requests/s" : "closed loop")
                        + (h.keepAlive() ? ", keep-alive" : ", a connection per request")},
                {"Time taken for tests", String.format(Locale.ROOT, "%.3f seconds", h.seconds())},
                {"Complete requests", String.valueOf(h.complete())},
                {"Failed requests", h.failed() + String.format(Locale.ROOT, " (Connect: %d, Receive: %d, Length: %d, Exceptions: %d; %d timed out)",
                        f.connect(), f.receive(), f.length(), f.exceptions(), f.timeouts())},
                {"In flight at end", h.inFlightAtEnd() + " (neither complete nor failed when -t ended the window; not waited for)"},
                {"Non-2xx responses", String.valueOf(h.non2xx())},
                {"Keep-Alive requests", String.valueOf(h.keepAliveRequests())},
                {"Connections opened", String.valueOf(h.connections())},
                {"Total transferred", h.bytesReceived() + " bytes"},
                {"Body transferred", h.bodyBytes() + " bytes"},
                {"Requests per second", String.format(Locale.ROOT, "%.2f [#/sec] (mean)", h.requestsPerSecond())},
                {"Time per request", String.format(Locale.ROOT, "%.1f [us] (mean)", h.timePerRequestUs())},
                {"Time per request", String.format(Locale.ROOT, "%.3f [us] (mean, across all concurrent requests)", h.timePerRequestAcrossUs())},
                {"Transfer rate", String.format(Locale.ROOT, "%.2f [KiB/sec] received", h.bytesPerSecond() / 1024)},
                {"Client CPU", String.format(Locale.ROOT, "%.2f [us] per request (process, user + sys)", h.cpuUsPerRequest())},
        };
        for (String[] row : rows) {
            row(out, row[0], row[1]);
        }
        HttpFigures.Schedule s = h.schedule();
        if (s != null) {
            row(out, "Late requests", s.late() + String.format(Locale.ROOT, " (sent over %.0f us after their scheduled start)%s",
                    HttpFigures.Schedule.LATE_NANOS / 1e3, s.late() == 0 ? ""
                            : String.format(Locale.ROOT, "; lateness mean %.0f, p99 %.0f, max %.0f us", s.lateness().mean(),
                            s.lateness().percentiles().get(99.0), s.lateness().max())));
            row(out, "Missed requests", s.missed() + " (scheduled in the window, never sent)");
        }
        out.append("\n    Connection Times (us), of complete requests only (Connect: of every connection opened)\n");
        out.append(String.format(Locale.ROOT, "    %-12s %9s %9s %9s %9s %9s%n", "", "min", "mean", "[+/-sd]", "median", "max"));
        phaseRow(out, "Connect:", h.connect());
        phaseRow(out, "Processing:", h.processing());
        phaseRow(out, "Waiting:", h.waiting());
        phaseRow(out, "Total:", h.total());
        if (h.corrected() != null) {
            phaseRow(out, "Scheduled:", h.corrected());
        }
        HttpFigures.Phase lat = h.latency();
        out.append(String.format(Locale.ROOT, "%n    Percentage of the complete requests served within a certain time (us)%s%n",
                h.corrected() != null ? ", from each request's scheduled start (coordinated omission corrected)" : ""));
        for (double p : HttpFigures.PERCENTILES) {
            String label = p == 100 ? " 100%" : (p == Math.rint(p) ? String.format(Locale.ROOT, "%4d%%", (int) p) : String.format(Locale.ROOT, "%.1f%%", p));
            String uncorrected = h.corrected() != null ? String.format(Locale.ROOT, "   (uncorrected %.0f)", h.total().percentiles().get(p)) : "";
            out.append(String.format(Locale.ROOT, "    %s %9.0f%s%n", label, lat.percentiles().get(p), uncorrected));
        }
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append(String.format(Locale.ROOT, "    %-22s %s%n", name + ":", value));
    }

    private static void phaseRow(StringBuilder out, String name, HttpFigures.Phase p) {
        if (p.count() == 0) {
            out.append(String.format(Locale.ROOT, "    %-12s %9s%n", name, "-"));
            return;
        }
        out.append(String.format(Locale.ROOT, "    %-12s %9.0f %9.0f %9.1f %9.0f %9.0f%n", name, p.min(), p.mean(), p.sd(), p.median(), p.max()));
    }
}
