package dev.netbench.cluster;

/**
 * The paths of a cluster the reference write-ups measure, one row each. {@code key} is stable (JSON, CSV,
 * compare); {@code label} is the row's name in the table, in the write-ups' "source>target" form.
 */
public enum Scenario {
    NODE_NODE("node-node", "NodeA>NodeB"),
    NODE_SELF("node-self", "NodeB>NodeB"),
    POD_POD_SAME_NODE("pod-pod-same-node", "PodB-1>PodB-2 (same node)"),
    POD_POD_CROSS_NODE("pod-pod-cross-node", "PodA-1>PodB-2 (cross node)"),
    NODE_POD("node-pod", "NodeA>PodB-2"),
    POD_NODE("pod-node", "PodA-1>NodeB"),
    NODE_POD_SAME_NODE("node-pod-same-node", "NodeB>PodB-2"),
    POD_NODE_SAME_NODE("pod-node-same-node", "PodB-1>NodeB"),
    POD_SERVICE("pod-service-pod", "PodA-1>Service>Pod"),
    EXTERNAL_LB("external-lb-pod", "Outside>LoadBalancer>Pod");

    private final String key;
    private final String label;

    Scenario(String key, String label) {
        this.key = key;
        this.label = label;
    }

    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    /**
     * The scenario of a test from {@code source} to {@code target}, both agents, from their identities; null when
     * the pair is no scenario (a pod to itself).
     */
    public static Scenario classify(Agent source, Agent target) {
        boolean sameNode = source.node().equals(target.node());
        boolean sameAgent = source.address().equals(target.address());
        if (source.hostNetwork() && target.hostNetwork()) {
            return sameNode ? NODE_SELF : NODE_NODE;
        }
        if (!source.hostNetwork() && !target.hostNetwork()) {
            return sameAgent ? null : sameNode ? POD_POD_SAME_NODE : POD_POD_CROSS_NODE;
        }
        if (source.hostNetwork()) {
            return sameNode ? NODE_POD_SAME_NODE : NODE_POD;
        }
        return sameNode ? POD_NODE_SAME_NODE : POD_NODE;
    }
}
