package dev.netbench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's packages form layers: no package depends on itself through others, so each can be read, tested and
 * changed with only what lies below it in mind (docs/architecture.md). A dependency is any reference to
 * {@code dev.netbench.<package>.}, imported or written out, in the main sources.
 */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/netbench");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.netbench\\.([a-z0-9]+)\\.");

    @Test
    void thePackageGraphHasNoCycle() {
        Map<String, Set<String>> graph = graph();
        assertTrue(graph.size() > 10, "read the engine's packages: " + graph.keySet());
        List<String> cycle = cycle(graph);
        assertEquals(List.of(), cycle, "a dependency cycle between packages (each depends on the next): " + cycle);
    }

    @Test
    void everyPackageUsesOnlyWhatItsPackageInfoSays() throws IOException {
        for (Map.Entry<String, Set<String>> e : graph().entrySet()) {
            Path info = SOURCES.resolve(e.getKey()).resolve("package-info.java");
            assertTrue(Files.exists(info), e.getKey() + " has no package-info.java saying what it owns and uses");
            String text = Files.readString(info).replaceAll("\\s*\\n\\s*\\*\\s*", " ");
            Matcher uses = Pattern.compile("Uses: (.*?)\\.").matcher(text);
            assertTrue(uses.find(), info + ": no 'Uses:' line");
            Set<String> declared = new TreeSet<>();
            Matcher code = Pattern.compile("\\{@code ([a-z0-9]+)}").matcher(uses.group(1));
            while (code.find()) {
                declared.add(code.group(1));
            }
            assertEquals(declared, e.getValue(), e.getKey() + ": what package-info.java says it uses, and what it uses");
        }
    }

    @Test
    void theClientDoesNotStartTheServerItRunsAgainst() {
        // the loopback self-test's in-process server is handed in (client.SelfTestServer): remote runs of the
        // server depend on the client, so the reverse would close a cycle
        assertTrue(!graph().get("client").contains("server"), "client -> server: " + graph().get("client"));
    }

    @Test
    void aCycleIsFoundWhereThereIsOne() {
        Map<String, Set<String>> g = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a")));
        assertEquals(List.of("a", "b", "c", "a"), cycle(g));
        assertEquals(List.of(), cycle(new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of()))));
    }

    /** Each top-level package of the engine and the top-level packages it refers to. */
    private static Map<String, Set<String>> graph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(f);
                if (relative.getNameCount() < 2) {
                    continue; // dev.netbench itself (NetbenchException): below every package
                }
                String from = relative.getName(0).toString();
                Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(Files.readString(f));
                while (m.find()) {
                    if (!m.group(1).equals(from)) {
                        to.add(m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    /** A cycle as the packages along it, the first repeated at the end; empty when there is none. */
    private static List<String> cycle(Map<String, Set<String>> graph) {
        Map<String, Integer> state = new TreeMap<>(); // absent: not seen, 1: on the current path, 2: done
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            List<String> found = visit(start, graph, state, path);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static List<String> visit(String node, Map<String, Set<String>> graph, Map<String, Integer> state, List<String> path) {
        Integer s = state.get(node);
        if (s != null && s == 2) {
            return List.of();
        }
        if (s != null) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            cycle.add(node);
            return cycle;
        }
        state.put(node, 1);
        path.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            List<String> found = visit(next, graph, state, path);
            if (!found.isEmpty()) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        state.put(node, 2);
        return List.of();
    }
}
