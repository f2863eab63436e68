package dev.netbench.cli;

import dev.netbench.client.ClientSettings;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** --under-load and the shape of its load. */
final class LoadOptions {
    @Option(names = "--under-load", description = "tcp_lat, udp_lat, tcp_crr and http (against an agent) twice on the same path: idle, then while "
            + "bulk tcp_bw streams between the same two ends keep it full; reports both distributions, loaded/idle, RPM "
            + "(round trips per minute, draft-ietf-ippm-responsiveness) and the load's goodput.")
    boolean underLoad;

    @Option(names = "--load-streams", paramLabel = "N",
            description = "--under-load: tcp_bw streams per direction (1.." + ClientSettings.Load.MAX_STREAMS + ", default: 1).")
    Integer streams;

    @Option(names = "--load-direction", paramLabel = "up|down|both", converter = DirectionConverter.class,
            description = "--under-load: up (the client sends), down (the agent sends) or both at once (default: both).")
    ClientSettings.Direction direction;

    /** The load asked for; null without --under-load. */
    ClientSettings.Load load(CommandSpec spec) {
        if (!underLoad) {
            if (streams != null || direction != null) {
                throw new ParameterException(spec.commandLine(), "--load-streams and --load-direction shape --under-load's load: use them with --under-load");
            }
            return null;
        }
        try {
            return new ClientSettings.Load(streams != null ? streams : 1, direction != null ? direction : ClientSettings.Direction.BOTH);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    static final class DirectionConverter implements ITypeConverter<ClientSettings.Direction> {
        @Override
        public ClientSettings.Direction convert(String value) {
            for (ClientSettings.Direction d : ClientSettings.Direction.values()) {
                if (d.wireName().equals(value.toLowerCase(Locale.ROOT))) {
                    return d;
                }
            }
            throw new IllegalArgumentException("'" + value + "' is not one of " + Arrays.stream(ClientSettings.Direction.values())
                    .map(ClientSettings.Direction::wireName).collect(Collectors.joining(", ")));
        }
    }
}
