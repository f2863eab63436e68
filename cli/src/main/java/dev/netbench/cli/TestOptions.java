package dev.netbench.cli;

import picocli.CommandLine.Option;

import java.time.Duration;

/** What {@code client} (and its --iperf3) and {@code matrix} ask of every test alike: warm-up, streams, UDP rate, connect timeout. */
final class TestOptions {
    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "1", converter = Converters.SecondsOrZero.class,
            description = "Seconds run before the measured window, excluded from every figure (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = {"-P", "--parallel"}, paramLabel = "N", defaultValue = "1",
            description = "Parallel connections per test; for tcp_crr, transactions in flight at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = {"-b", "--bitrate"}, paramLabel = "RATE", defaultValue = "1G", converter = Converters.Bitrate.class,
            description = "udp_bw: bits per second of UDP payload per stream (100M, 1G; k/M/G/T are decimal); 0 sends as fast as the socket takes (default: ${DEFAULT-VALUE}).")
    long bitrate;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "5", converter = Converters.Seconds.class,
            description = "Give up connecting after SECONDS (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;
}
