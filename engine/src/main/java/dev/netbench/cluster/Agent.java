package dev.netbench.cluster;

import dev.netbench.host.Identity;

import java.net.InetSocketAddress;

/**
 * An agent as the orchestrator knows it: where its test port and HTTP target listen, and who it says it is. Where
 * it runs comes from its identity, never from its name: the node is the downward API's {@code NODE_NAME} (the
 * hostname outside Kubernetes), and it is on the host network when it has no pod IP of its own
 * ({@code POD_IP} absent or equal to {@code HOST_IP}, as Kubernetes reports for hostNetwork pods).
 */
public record Agent(InetSocketAddress address, int httpPort, Identity identity) {

    public String node() {
        String node = identity.kubernetes().get("NODE_NAME");
        return node != null ? node : identity.hostname();
    }

    public boolean hostNetwork() {
        String podIp = identity.kubernetes().get("POD_IP");
        return podIp == null || podIp.equals(identity.kubernetes().get("HOST_IP"));
    }

    /** What a table shows for this end: the pod's name, or the node's for a host-network agent. */
    public String name() {
        String pod = identity.kubernetes().get("POD_NAME");
        return hostNetwork() || pod == null ? node() : pod;
    }

    public String endpoint() {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
