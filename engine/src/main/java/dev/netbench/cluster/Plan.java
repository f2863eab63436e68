package dev.netbench.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which source measures which target for each scenario: by default the first pair found for each scenario (agents
 * ordered by node, host agents first, then name), so a 100-node cluster still costs one test run per scenario;
 * every classified pair with {@code allPairs}. A Service or load balancer adds one step each: from a pod agent to
 * the Service, and from the orchestrator itself (outside) to the load balancer.
 */
public record Plan(List<Step> steps) {
    public Plan {
        steps = List.copyOf(steps);
    }

    /** A target: an agent, or an address (Service, load balancer) that some agent behind it answers. */
    public record Target(String host, int port, int httpPort, Agent agent) {
        public String name() {
            return agent != null ? agent.name() : host;
        }
    }

    /** One row of the table. {@code source} null: the orchestrator runs the test itself (from outside). */
    public record Step(Scenario scenario, Agent source, Target target) {
        public String sourceName() {
            return source != null ? source.name() : "outside";
        }
    }

    static final Comparator<Agent> ORDER = Comparator.comparing(Agent::node)
            .thenComparing(a -> !a.hostNetwork())
            .thenComparing(Agent::name)
            .thenComparing(Agent::endpoint);

    public static Plan of(List<Agent> agents, boolean allPairs, Target service, Target external) {
        List<Agent> sorted = agents.stream().sorted(ORDER).toList();
        List<Step> steps = new ArrayList<>();
        Set<Scenario> covered = EnumSet.noneOf(Scenario.class);
        for (Scenario wanted : Scenario.values()) {
            for (Agent source : sorted) {
                for (Agent target : sorted) {
                    Scenario s = Scenario.classify(source, target);
                    if (s == wanted && (allPairs || covered.add(s))) {
                        steps.add(new Step(s, source, asTarget(target)));
                    }
                }
            }
        }
        if (service != null) {
            // from a pod, as kube-proxy's rules apply to pod traffic; a cluster without pod agents uses any agent
            Agent source = sorted.stream().filter(a -> !a.hostNetwork()).findFirst()
                    .orElse(sorted.isEmpty() ? null : sorted.get(0));
            if (source != null) {
                steps.add(new Step(Scenario.POD_SERVICE, source, service));
            }
        }
        if (external != null) {
            steps.add(new Step(Scenario.EXTERNAL_LB, null, external));
        }
        return new Plan(steps);
    }

    static Target asTarget(Agent a) {
        // the address, not the name it was found by: the source agent need not resolve the orchestrator's names
        return new Target(a.address().getAddress().getHostAddress(), a.address().getPort(), a.httpPort(), a);
    }
}
