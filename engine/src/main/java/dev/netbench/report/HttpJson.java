package dev.netbench.report;

import dev.netbench.json.JsonWriter;

/** The JSON of an HTTP test's figures, ab's and wrk2's (see docs/metrics.md). */
final class HttpJson {
    private HttpJson() {
    }

    static void write(JsonWriter w, HttpFigures h) {
        HttpFigures.Failures f = h.failures();
        w.value("url", h.url())
                .value("server_software", h.serverSoftware())
                .value("document_length", h.documentLength())
                .value("concurrency", h.concurrency())
                .value("keep_alive", h.keepAlive())
                .value("rate", h.rate() > 0 ? h.rate() : Double.NaN)
                .value("seconds", h.seconds())
                .value("requests_per_second", h.requestsPerSecond())
                .value("complete", h.complete())
                .value("in_flight_at_end", h.inFlightAtEnd());
        w.beginObject("failed")
                .value("total", h.failed())
                .value("connect", f.connect())
                .value("receive", f.receive())
                .value("length", f.length())
                .value("exceptions", f.exceptions())
                .value("timeouts", f.timeouts())
                .endObject();
        w.value("non_2xx", h.non2xx())
                .value("keep_alive_requests", h.keepAliveRequests())
                .value("connections", h.connections())
                .value("bytes", h.bytesReceived())
                .value("body_bytes", h.bodyBytes())
                .value("time_per_request_us", h.timePerRequestUs())
                .value("time_per_request_all_us", h.timePerRequestAcrossUs())
                .value("transfer_bytes_per_second", h.bytesPerSecond())
                .value("client_cpu_us_per_request", h.cpuUsPerRequest());
        if (h.schedule() != null) {
            w.value("late", h.schedule().late()).value("missed", h.schedule().missed());
            phase(w, "lateness_us", h.schedule().lateness());
        }
        w.value("percentiles_of", "complete_requests"); // the phases below: failed and in-flight requests are not timed
        phase(w, "latency_us", h.latency());
        phase(w, "connect_us", h.connect());
        phase(w, "processing_us", h.processing());
        phase(w, "ttfb_us", h.waiting());
        phase(w, "total_us", h.total());
        if (h.corrected() != null) {
            phase(w, "latency_uncorrected_us", h.total());
        }
    }

    private static void phase(JsonWriter w, String name, HttpFigures.Phase p) {
        w.beginObject(name)
                .value("count", p.count())
                .value("min", p.min())
                .value("mean", p.mean())
                .value("sd", p.sd())
                .value("median", p.median())
                .value("max", p.max());
        p.percentiles().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e ->
                w.value(e.getKey() == 99.9 ? "p999" : "p" + e.getKey().intValue(), e.getValue()));
        w.endObject();
    }
}
