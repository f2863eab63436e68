package dev.netbench.cluster;

import dev.netbench.NetbenchException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Finds the agents: explicit {@code --peers}, or DNS names that resolve to every agent at once (the headless
 * Services of the pod and host DaemonSets), then asks each who it is. An agent that does not answer is reported
 * and left out; the matrix runs with the rest.
 */
public final class Discovery {
    private Discovery() {
    }

    /** A {@code HOST[:PORT]} or {@code [V6]:PORT} argument; the port defaults to {@code defaultPort}. */
    public record HostPort(String host, int port) {
        public static HostPort parse(String text, int defaultPort) {
            String host = text.strip();
            int port = defaultPort;
            if (host.startsWith("[")) {
                int close = host.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("'" + text + "': unclosed [");
                }
                String rest = host.substring(close + 1);
                host = host.substring(1, close);
                if (!rest.isEmpty()) {
                    port = port(text, rest.startsWith(":") ? rest.substring(1) : rest);
                }
            } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
                port = port(text, host.substring(host.indexOf(':') + 1));
                host = host.substring(0, host.indexOf(':'));
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "': no host");
            }
            return new HostPort(host, port);
        }

        private static int port(String text, String p) {
            try {
                int port = Integer.parseInt(p);
                if (port >= 1 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException("'" + text + "': port must be 1..65535");
        }
    }

    /** Every address the names resolve to (each name may stand for many agents), peers as given; no duplicates. */
    public static List<InetSocketAddress> addresses(List<HostPort> peers, List<HostPort> names) {
        Set<InetSocketAddress> out = new LinkedHashSet<>();
        for (HostPort p : peers) {
            out.add(resolve(p.host(), p.port()).get(0));
        }
        for (HostPort n : names) {
            out.addAll(resolve(n.host(), n.port()));
        }
        return new ArrayList<>(out);
    }

    private static List<InetSocketAddress> resolve(String host, int port) {
        try {
            List<InetSocketAddress> all = new ArrayList<>();
            for (InetAddress a : InetAddress.getAllByName(host)) {
                all.add(new InetSocketAddress(a, port));
            }
            return all;
        } catch (UnknownHostException e) {
            throw new NetbenchException("cannot resolve '" + host + "'");
        }
    }

    /** Asks every address who it is; those that fail are reported to {@code warn} and left out. */
    public static List<Agent> identify(List<InetSocketAddress> addresses, RemoteClient client, Consumer<String> warn)
            throws InterruptedException {
        List<Agent> agents = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            try {
                agents.add(client.identify(a));
            } catch (NetbenchException e) {
                warn.accept("agent " + a.getHostString() + ":" + a.getPort() + " left out: " + e.getMessage());
            }
        }
        return agents;
    }
}
