package dev.netbench.cluster;

import dev.netbench.host.Identity;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Classification from identities and planning, on synthetic clusters. */
class PlanTest {
    private static int next = 1;

    /** An agent on {@code node}; a pod agent has its own pod IP, a host agent's pod IP is the node's. */
    private static Agent agent(String node, String name, boolean host) throws Exception {
        int n = next++;
        String hostIp = "10.0." + (node.hashCode() & 0x7f) + ".1";
        String podIp = host ? hostIp : "10.244." + (n / 250) + "." + (n % 250 + 2);
        Map<String, String> k8s = new HashMap<>(Map.of("NODE_NAME", node, "POD_NAME", name, "HOST_IP", hostIp));
        k8s.put("POD_IP", podIp);
        // every agent reports the same hostname (as containers on one machine might): only the identity fields count
        Identity id = new Identity("same-hostname", "0.1.0", "Linux", "6.1", "cpu", 2, k8s);
        return new Agent(new InetSocketAddress(InetAddress.getByName(podIp), host ? 7576 : 7575), host ? 7581 : 7580, id);
    }

    @Test
    void classifiesFromNodeAndNetworkNotNames() throws Exception {
        Agent hostA = agent("worker-1", "misleading-name-node-b", true);
        Agent hostB = agent("worker-2", "x", true);
        Agent podA = agent("worker-1", "pod-on-worker-2", false);
        Agent podA2 = agent("worker-1", "y", false);
        Agent podB = agent("worker-2", "z", false);
        assertEquals(Scenario.NODE_NODE, Scenario.classify(hostA, hostB));
        assertEquals(Scenario.NODE_SELF, Scenario.classify(hostA, hostA));
        assertEquals(Scenario.POD_POD_SAME_NODE, Scenario.classify(podA, podA2));
        assertEquals(Scenario.POD_POD_CROSS_NODE, Scenario.classify(podA, podB));
        assertEquals(Scenario.NODE_POD, Scenario.classify(hostA, podB));
        assertEquals(Scenario.POD_NODE, Scenario.classify(podA, hostB));
        assertEquals(Scenario.NODE_POD_SAME_NODE, Scenario.classify(hostA, podA));
        assertEquals(Scenario.POD_NODE_SAME_NODE, Scenario.classify(podA, hostA));
        assertNull(Scenario.classify(podA, podA), "a pod to itself is no scenario");
    }

    @Test
    void outsideKubernetesTheHostnameIsTheNode() {
        Agent a = new Agent(InetSocketAddress.createUnresolved("a", 7575), 7580,
                new Identity("host-a", "0.1.0", "Linux", "6.1", "cpu", 2, Map.of()));
        Agent b = new Agent(InetSocketAddress.createUnresolved("b", 7575), 7580,
                new Identity("host-b", "0.1.0", "Linux", "6.1", "cpu", 2, Map.of()));
        assertTrue(a.hostNetwork());
        assertEquals("host-a", a.node());
        assertEquals(Scenario.NODE_NODE, Scenario.classify(a, b));
    }

    @Test
    void twoNodesTwoPodsEachCoverEveryScenarioOnce() throws Exception {
        List<Agent> agents = List.of(agent("n1", "h1", true), agent("n2", "h2", true), agent("n1", "p1", false),
                agent("n1", "p2", false), agent("n2", "p3", false), agent("n2", "p4", false));
        Plan.Target svc = new Plan.Target("10.96.0.10", 7575, 7580, null);
        Plan.Target lb = new Plan.Target("203.0.113.7", 7575, 7580, null);
        Plan plan = Plan.of(agents, false, svc, lb);
        assertEquals(EnumSet.allOf(Scenario.class), plan.steps().stream().map(Plan.Step::scenario)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Scenario.class))));
        assertEquals(Scenario.values().length, plan.steps().size(), "one pair per scenario");
        for (Plan.Step s : plan.steps()) {
            if (s.scenario() == Scenario.EXTERNAL_LB) {
                assertNull(s.source(), "measured from outside: the orchestrator itself");
            } else if (s.scenario() == Scenario.POD_SERVICE) {
                assertFalse(s.source().hostNetwork(), "the Service is measured from a pod");
            } else {
                assertEquals(s.scenario(), Scenario.classify(s.source(), s.target().agent()));
            }
        }
    }

    @Test
    void hundredNodesStillOnePairPerScenarioAndAllPairsCoversEveryPair() throws Exception {
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            agents.add(agent("node-" + i, "host-" + i, true));
            agents.add(agent("node-" + i, "pod-" + i + "-1", false));
            agents.add(agent("node-" + i, "pod-" + i + "-2", false));
        }
        Plan plan = Plan.of(agents, false, null, null);
        assertEquals(8, plan.steps().size(), "8 agent-to-agent scenarios, one pair each");
        assertEquals(8, plan.steps().stream().map(Plan.Step::scenario).distinct().count());

        List<Agent> small = agents.subList(0, 9); // 3 nodes, a host and two pod agents each
        Plan all = Plan.of(small, true, null, null);
        assertEquals(9 * 9 - 6, all.steps().size(), "every ordered pair is classified, except a pod to itself");
    }

    @Test
    void planIsDeterministicWhateverTheDiscoveryOrder() throws Exception {
        List<Agent> agents = new ArrayList<>(List.of(agent("n2", "b", false), agent("n1", "a", false), agent("n1", "h", true),
                agent("n2", "g", true)));
        Plan one = Plan.of(agents, false, null, null);
        java.util.Collections.reverse(agents);
        assertEquals(one, Plan.of(agents, false, null, null));
    }
}
