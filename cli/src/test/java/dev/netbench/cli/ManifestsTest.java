package dev.netbench.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.netbench.cluster.Discovery.HostPort;
import dev.netbench.cluster.Scenario;
import dev.netbench.host.Identity;
import dev.netbench.protocol.Protocol;
import dev.netbench.server.ServerOptions;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The Kubernetes manifests under deploy/kubernetes, read as the API server would: every document parsed into the
 * Kubernetes API model (fabric8), with unknown or misspelled fields, duplicate keys and mistyped scalars failing,
 * then checked against the code: ports and args against the defaults and the real command line, probes, the
 * downward-API variables {@link Identity} reads, the restricted security context, and Services against the pods
 * they select. No cluster is needed.
 */
class ManifestsTest {

    /** The kinds the manifests may hold, with the apiVersion and model class of each. */
    private static final Map<String, Kind> KINDS = Map.of(
            "Namespace", new Kind("v1", Namespace.class),
            "Secret", new Kind("v1", Secret.class),
            "Service", new Kind("v1", Service.class),
            "DaemonSet", new Kind("apps/v1", DaemonSet.class),
            "Job", new Kind("batch/v1", Job.class));

    /** Where each variable of {@link Identity#KUBERNETES_ENV} comes from in the downward API. */
    private static final Map<String, String> DOWNWARD_API = Map.of(
            "NODE_NAME", "spec.nodeName",
            "POD_NAME", "metadata.name",
            "POD_NAMESPACE", "metadata.namespace",
            "POD_IP", "status.podIP",
            "HOST_IP", "status.hostIP");

    /** The keys a kustomization.yaml here may use: a misspelled one fails here, without kubectl. */
    private static final Set<String> KUSTOMIZATION_KEYS = Set.of("apiVersion", "kind", "resources", "images", "namespace",
            "labels", "commonAnnotations", "patches", "secretGenerator", "configMapGenerator", "generatorOptions", "components");

    private static final String NAMESPACE = "netbench";
    private static final String TOKEN_ENV = "NETBENCH_TOKEN";
    private static final String TOKEN_SECRET = "netbench-token";
    private static final long RUN_AS_USER = 10001;
    /** Opt-in manifests (kubectl apply -f), listed by no kustomization: applying the base starts none of them. */
    private static final String OPT_IN = "jobs";

    private static final ObjectMapper YAML = strictYamlMapper();

    record Kind(String apiVersion, Class<? extends HasMetadata> type) {
    }

    /** One YAML document of one file, parsed. */
    record Manifest(Path file, int index, HasMetadata object) {
        String describe() {
            return root().relativize(file) + " #" + index + " (" + object.getKind() + " " + object.getMetadata().getName() + ")";
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Parsing, strictly

    private static ObjectMapper strictYamlMapper() {
        ObjectMapper m = new ObjectMapper(new YAMLFactory());
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // The API server takes no "7575" for an integer and no 7580 for a string (an annotation value, an arg):
        // Jackson would quietly convert both.
        for (LogicalType t : new LogicalType[]{LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            m.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        for (CoercionInputShape s : new CoercionInputShape[]{CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean}) {
            m.coercionConfigFor(LogicalType.Textual).setCoercion(s, CoercionAction.Fail);
        }
        m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return m;
    }

    /** deploy/kubernetes, found from the module's directory up (Maven runs tests in cli/). */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("deploy").resolve("kubernetes");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("no deploy/kubernetes above " + Path.of("").toAbsolutePath());
    }

    private static List<Path> yamlFiles() {
        try (Stream<Path> files = Files.walk(root())) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isOptIn(Path p) {
        return p.toAbsolutePath().normalize().startsWith(root().toAbsolutePath().normalize().resolve(OPT_IN));
    }

    private static boolean isKustomization(Path p) {
        String name = p.getFileName().toString();
        return name.equals("kustomization.yaml") || name.equals("kustomization.yml") || name.equals("Kustomization");
    }

    private static List<Manifest> manifests() {
        List<Manifest> all = new ArrayList<>();
        for (Path file : yamlFiles()) {
            if (!isKustomization(file)) {
                try {
                    List<HasMetadata> objects = parse(Files.readString(file), root().relativize(file).toString());
                    for (int i = 0; i < objects.size(); i++) {
                        all.add(new Manifest(file, i, objects.get(i)));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return all;
    }

    /**
     * Every document of one YAML text, each into the model class of its kind; fails on an unknown kind, a wrong
     * apiVersion, a field the model does not have (anywhere in the tree), a duplicate key or a mistyped scalar.
     */
    static List<HasMetadata> parse(String yaml, String source) {
        List<HasMetadata> objects = new ArrayList<>();
        int index = 0;
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                String where = source + " #" + index++;
                if (doc == null || doc.isNull() || doc.isMissingNode() || (doc.isObject() && doc.isEmpty())) {
                    continue; // an empty document: a leading or trailing ---
                }
                assertTrue(doc.isObject(), where + ": not a mapping");
                String kindName = doc.path("kind").asText("");
                Kind kind = KINDS.get(kindName);
                if (kind == null) {
                    throw new AssertionError(where + ": kind '" + kindName + "' is none of " + new TreeSet<>(KINDS.keySet()));
                }
                assertEquals(kind.apiVersion(), doc.path("apiVersion").asText(""), where + ": apiVersion of " + kindName);
                HasMetadata object;
                try {
                    object = YAML.treeToValue(doc, kind.type());
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    throw new AssertionError(where + ": not a valid " + kindName + ": " + e.getMessage(), e);
                }
                List<String> unknown = unknownFields(object);
                if (!unknown.isEmpty()) {
                    throw new AssertionError(where + " (" + kindName + " " + doc.path("metadata").path("name").asText("?")
                            + "): unknown field(s) " + String.join(", ", unknown));
                }
                assertNotNull(object.getMetadata(), where + ": no metadata");
                assertNotNull(object.getMetadata().getName(), where + ": no metadata.name");
                objects.add(object);
            }
        } catch (IOException e) {
            throw new AssertionError(source + ": not valid YAML: " + e.getMessage(), e);
        }
        return objects;
    }

    /**
     * The paths of every field that landed in a model object's additionalProperties: fabric8 classes collect
     * unknown fields there (@JsonAnySetter), so FAIL_ON_UNKNOWN_PROPERTIES alone never fires. Walks the object
     * graph through the getters of fabric8 classes, into lists and maps.
     */
    static List<String> unknownFields(Object root) {
        List<String> found = new ArrayList<>();
        walk(root, "", found, Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    private static void walk(Object value, String path, List<String> found, Set<Object> seen) {
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                walk(e.getValue(), path + "[" + e.getKey() + "]", found, seen);
            }
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.") || !seen.add(value)) {
            return;
        }
        Method[] methods = value.getClass().getMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
            if (Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0 || m.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = m.getName();
            if (name.equals("getAdditionalProperties")) {
                Object extra = invoke(m, value, path);
                if (extra instanceof Map<?, ?> map) {
                    map.keySet().forEach(k -> found.add(join(path, String.valueOf(k))));
                }
                continue;
            }
            String property;
            if (name.startsWith("get") && name.length() > 3) {
                property = name.substring(3);
            } else if (name.startsWith("is") && name.length() > 2 && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class)) {
                property = name.substring(2);
            } else {
                continue;
            }
            property = Character.toLowerCase(property.charAt(0)) + property.substring(1);
            walk(invoke(m, value, join(path, property)), join(path, property), found, seen);
        }
    }

    private static Object invoke(Method m, Object target, String path) {
        try {
            return m.invoke(target);
        } catch (InvocationTargetException e) {
            throw new AssertionError(path + ": " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new AssertionError(path + ": " + e, e);
        }
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The checker itself

    private static final String DAEMONSET_SNIPPET = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: snippet
            spec:
              selector:
                matchLabels: {app: x}
              template:
                metadata:
                  labels: {app: x}
                spec:
                  containers:
                    - name: c
                      image: netbench:latest
                      imagePullPolicy: IfNotPresent
                      ports:
                        - containerPort: 7575
                      resources:
                        requests: {cpu: 50m}
            """;

    @Test
    void theCheckerAcceptsAWellFormedSnippet() {
        List<HasMetadata> parsed = parse(DAEMONSET_SNIPPET, "snippet");
        assertEquals(1, parsed.size());
        DaemonSet ds = (DaemonSet) parsed.get(0);
        assertEquals("IfNotPresent", ds.getSpec().getTemplate().getSpec().getContainers().get(0).getImagePullPolicy());
    }

    static Stream<String[]> brokenSnippets() {
        return Stream.of(
                // {what is replaced, by what, what the failure must mention}
                new String[]{"imagePullPolicy:", "imagePullPolicyy:", "spec.template.spec.containers[0].imagePullPolicyy"},
                new String[]{"containerPort:", "containerPortt:", "spec.template.spec.containers[0].ports[0].containerPortt"},
                new String[]{"metadata:\n  name: snippet", "metdata:\n  name: snippet", "metdata"},
                new String[]{"matchLabels:", "matchLabel:", "spec.selector.matchLabel"},
                new String[]{"requests: {cpu: 50m}", "requests: {cpu: 50m}\n          securityContext:\n            capabilities: {dropp: [ALL]}",
                        "spec.template.spec.containers[0].securityContext.capabilities.dropp"},
                new String[]{"labels: {app: x}", "labels: {app: x}\n      annotations: {prometheus.io/port: 7580}", "Cannot coerce Integer value (7580)"},
                new String[]{"kind: DaemonSet", "kind: Daemonset", "kind 'Daemonset'"},
                new String[]{"apiVersion: apps/v1", "apiVersion: extensions/v1beta1", "apiVersion of DaemonSet"},
                new String[]{"containerPort: 7575", "containerPort: \"7575\"", "Cannot coerce String value (\"7575\")"},
                new String[]{"image: netbench:latest", "image: netbench:latest\n          image: other", "Duplicate field 'image'"});
    }

    @ParameterizedTest
    @MethodSource("brokenSnippets")
    void theCheckerRejectsMisspelledFieldsAnywhere(String from, String to, String mentioned) {
        assertEquals(DAEMONSET_SNIPPET.indexOf(from), DAEMONSET_SNIPPET.lastIndexOf(from), "once: " + from);
        assertTrue(DAEMONSET_SNIPPET.contains(from), from);
        String broken = DAEMONSET_SNIPPET.replace(from, to);
        AssertionError e = assertThrows(AssertionError.class, () -> parse(broken, "snippet"));
        assertTrue(e.getMessage().contains(mentioned), "expected '" + mentioned + "' in: " + e.getMessage());
    }

    @Test
    void additionalPropertiesAloneWouldSwallowTheTypo() throws IOException {
        // why the walk exists: Jackson's own unknown-property check accepts the typo into additionalProperties
        JsonNode doc = YAML.readTree(DAEMONSET_SNIPPET.replace("imagePullPolicy:", "imagePullPolicyy:"));
        DaemonSet ds = YAML.treeToValue(doc, DaemonSet.class);
        Container c = ds.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(Map.of("imagePullPolicyy", "IfNotPresent"), c.getAdditionalProperties());
        assertEquals(List.of("spec.template.spec.containers[0].imagePullPolicyy"), unknownFields(ds));
    }

    // ---------------------------------------------------------------------------------------------------------
    // The manifests

    @Test
    void everyManifestParsesStrictlyIntoTheApiModel() {
        List<Manifest> all = manifests();
        Set<String> kinds = all.stream().map(m -> m.object().getKind()).collect(Collectors.toSet());
        assertEquals(KINDS.keySet(), kinds, "one of each kind at least");
        Set<String> identities = new HashSet<>();
        for (Manifest m : all) {
            HasMetadata o = m.object();
            assertTrue(identities.add(o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName()),
                    "defined twice: " + m.describe());
            if (o instanceof Namespace) {
                assertEquals(NAMESPACE, o.getMetadata().getName(), m.describe());
            } else {
                assertEquals(NAMESPACE, o.getMetadata().getNamespace(), m.describe() + ": namespace");
            }
        }
    }

    @Test
    void kustomizationsListExistingResourcesAndEveryManifestIsListed() throws IOException {
        List<Path> kustomizations = yamlFiles().stream().filter(ManifestsTest::isKustomization).toList();
        assertTrue(kustomizations.contains(root().resolve("kustomization.yaml")), "deploy/kubernetes/kustomization.yaml");
        assertTrue(kustomizations.contains(root().resolve("overlays/loadbalancer/kustomization.yaml")), "the loadbalancer overlay");
        Set<Path> listed = new HashSet<>();
        for (Path k : kustomizations) {
            String where = root().relativize(k).toString();
            JsonNode doc = YAML.readTree(k.toFile());
            Set<String> keys = new TreeSet<>();
            doc.fieldNames().forEachRemaining(keys::add);
            assertTrue(KUSTOMIZATION_KEYS.containsAll(keys), where + ": unknown key among " + keys);
            assertEquals("kustomize.config.k8s.io/v1beta1", doc.path("apiVersion").asText(), where);
            assertEquals("Kustomization", doc.path("kind").asText(), where);
            assertTrue(doc.path("resources").isArray() && !doc.path("resources").isEmpty(), where + ": resources");
            for (JsonNode r : doc.path("resources")) {
                Path target = k.getParent().resolve(r.asText()).normalize();
                if (Files.isDirectory(target)) {
                    assertTrue(Files.isRegularFile(target.resolve("kustomization.yaml")), where + ": " + r.asText() + " has no kustomization.yaml");
                } else {
                    assertTrue(Files.isRegularFile(target), where + ": lists " + r.asText() + ", which does not exist");
                    listed.add(target);
                }
            }
            for (JsonNode image : doc.path("images")) {
                assertEquals("netbench", image.path("name").asText(), where + ": images entry for the netbench image");
            }
        }
        Set<Path> manifests = yamlFiles().stream().filter(p -> !isKustomization(p) && !isOptIn(p)).map(Path::normalize).collect(Collectors.toSet());
        assertEquals(new TreeSet<>(manifests), new TreeSet<>(listed), "every manifest outside " + OPT_IN + "/ listed by a kustomization, and only those");
        assertTrue(yamlFiles().stream().filter(ManifestsTest::isOptIn).noneMatch(ManifestsTest::isKustomization),
                OPT_IN + "/ is applied file by file, not as a kustomization");

        // the base's images entry names the image every container runs, so retargeting it retargets them all
        JsonNode base = YAML.readTree(root().resolve("base/kustomization.yaml").toFile());
        assertEquals("netbench", base.path("images").path(0).path("newName").asText());
        assertEquals("latest", base.path("images").path(0).path("newTag").asText());
        for (Workload w : workloads()) {
            for (Container c : w.spec().getContainers()) {
                assertEquals("netbench:latest", c.getImage(), w.name() + ": image");
                assertEquals("IfNotPresent", c.getImagePullPolicy(), w.name() + ": a locally loaded image must do");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Workloads

    record Workload(String kind, String name, PodTemplateSpec template) {
        PodSpec spec() {
            return template.getSpec();
        }

        Container container() {
            assertEquals(1, spec().getContainers().size(), name + ": one container");
            return spec().getContainers().get(0);
        }
    }

    /** Every workload: the base's and the opt-in ones. */
    private static List<Workload> workloads() {
        return workloads(manifests());
    }

    private static List<String> workloadNames(boolean optIn) {
        return workloads(manifests().stream().filter(m -> isOptIn(m.file()) == optIn).toList()).stream()
                .map(Workload::name).sorted().toList();
    }

    private static List<Workload> workloads(List<Manifest> manifests) {
        List<Workload> all = new ArrayList<>();
        for (Manifest m : manifests) {
            if (m.object() instanceof DaemonSet ds) {
                all.add(new Workload("DaemonSet", ds.getMetadata().getName(), ds.getSpec().getTemplate()));
            } else if (m.object() instanceof Job job) {
                all.add(new Workload("Job", job.getMetadata().getName(), job.getSpec().getTemplate()));
            }
        }
        return all;
    }

    private static <T extends HasMetadata> T find(Class<T> type, String name) {
        return manifests().stream().map(Manifest::object).filter(type::isInstance).map(type::cast)
                .filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    private static Workload daemonSet(String name) {
        DaemonSet ds = find(DaemonSet.class, name);
        return new Workload("DaemonSet", name, ds.getSpec().getTemplate());
    }

    /** The container's args, parsed by the real command line: the ServerCommand or ClientCommand they make. */
    private static Object command(Container c, String where) {
        assertTrue(c.getCommand() == null || c.getCommand().isEmpty(), where + ": no command: the image's entrypoint is netbench");
        CommandLine.ParseResult parsed;
        try {
            parsed = new CommandLine(new NetbenchCommand()).parseArgs(c.getArgs().toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError(where + ": netbench rejects args " + c.getArgs() + ": " + e.getMessage(), e);
        }
        assertTrue(parsed.hasSubcommand(), where + ": args name no subcommand: " + c.getArgs());
        return parsed.subcommand().commandSpec().userObject();
    }

    private static ServerCommand server(Workload w) {
        Object cmd = command(w.container(), w.name());
        assertTrue(cmd instanceof ServerCommand, w.name() + ": runs netbench server");
        return (ServerCommand) cmd;
    }

    private static ContainerPort port(Workload w, String name) {
        return w.container().getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(w.name() + ": no container port named " + name));
    }

    /** Container ports as "number/protocol". */
    private static Set<String> portSet(Workload w) {
        return w.container().getPorts().stream().map(p -> p.getContainerPort() + "/" + protocol(p.getProtocol()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String protocol(String p) {
        return p == null ? "TCP" : p;
    }

    /** The pod agents listen where a client's defaults look: Protocol.DEFAULT_PORT and DEFAULT_HTTP_PORT. */
    @Test
    void podAgentsListenOnTheDefaultPorts() {
        Workload pod = daemonSet("netbench-pod");
        ServerCommand s = server(pod);
        assertEquals(Protocol.DEFAULT_PORT, s.port, "netbench-pod --port");
        assertEquals(ServerOptions.DEFAULT_HTTP_PORT, s.httpPort, "netbench-pod --http-port");
        assertAgentPorts(pod, s);
        assertFalse(Boolean.TRUE.equals(pod.spec().getHostNetwork()), "netbench-pod is in the pod network");
        assertEquals(Set.of(Protocol.DEFAULT_PORT + "/TCP", Protocol.DEFAULT_PORT + "/UDP", ServerOptions.DEFAULT_HTTP_PORT + "/TCP"),
                portSet(pod));
    }

    @Test
    void hostAgentsRunInTheNodeNetworkOnPortsOfTheirOwn() {
        Workload host = daemonSet("netbench-host");
        ServerCommand s = server(host);
        assertAgentPorts(host, s);
        assertTrue(Boolean.TRUE.equals(host.spec().getHostNetwork()), "netbench-host: hostNetwork");
        assertEquals("ClusterFirstWithHostNet", host.spec().getDnsPolicy(), "netbench-host: cluster DNS from the host network");

        Set<Integer> podPorts = daemonSet("netbench-pod").container().getPorts().stream().map(ContainerPort::getContainerPort).collect(Collectors.toSet());
        Set<Integer> hostPorts = host.container().getPorts().stream().map(ContainerPort::getContainerPort).collect(Collectors.toSet());
        assertTrue(Collections.disjoint(podPorts, hostPorts), "the two agent sets share a port: " + podPorts + " " + hostPorts);
        assertFalse(hostPorts.contains(Protocol.DEFAULT_PORT) || hostPorts.contains(ServerOptions.DEFAULT_HTTP_PORT),
                "netbench-host keeps off the default ports on the node: " + hostPorts);
    }

    /** The named ports are the ones the args make the agent listen on, UDP beside TCP on the test port. */
    private static void assertAgentPorts(Workload w, ServerCommand s) {
        assertNotEquals(s.port, s.httpPort, w.name());
        ContainerPort tests = port(w, "tests");
        ContainerPort udp = port(w, "tests-udp");
        ContainerPort http = port(w, "http");
        assertEquals(s.port, tests.getContainerPort(), w.name() + ": tests port vs --port");
        assertEquals("TCP", protocol(tests.getProtocol()), w.name());
        assertEquals(s.port, udp.getContainerPort(), w.name() + ": tests-udp port vs --port");
        assertEquals("UDP", udp.getProtocol(), w.name());
        assertEquals(s.httpPort, http.getContainerPort(), w.name() + ": http port vs --http-port");
        assertEquals("TCP", protocol(http.getProtocol()), w.name());
        Set<String> names = new HashSet<>();
        for (ContainerPort p : w.container().getPorts()) {
            assertNotNull(p.getName(), w.name() + ": every port named, for the Services");
            assertTrue(p.getName().matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?") && p.getName().length() <= 15 && p.getName().matches(".*[a-z].*"),
                    w.name() + ": port name '" + p.getName() + "' is no IANA_SVC_NAME");
            assertTrue(names.add(p.getName()), w.name() + ": port name twice: " + p.getName());
            assertTrue(p.getHostPort() == null || p.getHostPort().equals(p.getContainerPort()), w.name() + ": hostPort");
        }
        Map<String, String> annotations = w.template().getMetadata().getAnnotations();
        assertEquals(String.valueOf(s.httpPort), annotations.get("prometheus.io/port"), w.name() + ": /metrics is on the HTTP port");
        assertEquals("/metrics", annotations.get("prometheus.io/path"), w.name());
    }

    @Test
    void probesAskHealthzOnTheHttpPort() {
        for (String name : List.of("netbench-pod", "netbench-host")) {
            Workload w = daemonSet(name);
            ServerCommand s = server(w);
            Container c = w.container();
            for (Probe probe : new Probe[]{c.getReadinessProbe(), c.getLivenessProbe()}) {
                assertNotNull(probe, name + ": readiness and liveness probes");
                HTTPGetAction get = probe.getHttpGet();
                assertNotNull(get, name + ": httpGet probe");
                assertEquals("/healthz", get.getPath(), name);
                assertTrue(get.getScheme() == null || get.getScheme().equals("HTTP"), name);
                assertEquals(s.httpPort, resolvePort(w, get.getPort()), name + ": probe port is the HTTP target's");
            }
        }
    }

    private static int resolvePort(Workload w, IntOrString port) {
        assertNotNull(port);
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return port(w, port.getStrVal()).getContainerPort();
    }

    @Test
    void everyIdentityVariableComesFromTheDownwardApiAndTheTokenFromTheSecret() {
        assertEquals(new TreeSet<>(Identity.KUBERNETES_ENV), new TreeSet<>(DOWNWARD_API.keySet()),
                "Identity.KUBERNETES_ENV changed: set the new variable in the manifests and map it here");
        Secret secret = find(Secret.class, TOKEN_SECRET);
        Set<String> secretKeys = new HashSet<>();
        if (secret.getData() != null) {
            secretKeys.addAll(secret.getData().keySet());
        }
        if (secret.getStringData() != null) {
            secretKeys.addAll(secret.getStringData().keySet());
        }
        assertEquals(List.of("netbench-client", "netbench-host", "netbench-pod"), workloadNames(false), "the base: two DaemonSets and the client Job");
        assertEquals(List.of("netbench-matrix"), workloadNames(true), "opt-in: the matrix Job");
        List<Workload> all = workloads();
        for (Workload w : all) {
            Map<String, EnvVar> env = new LinkedHashMap<>();
            for (EnvVar v : Objects.requireNonNullElse(w.container().getEnv(), List.<EnvVar>of())) {
                assertTrue(env.put(v.getName(), v) == null, w.name() + ": env " + v.getName() + " twice");
            }
            for (String name : Identity.KUBERNETES_ENV) {
                EnvVar v = env.get(name);
                assertNotNull(v, w.name() + ": env " + name);
                assertNotNull(v.getValueFrom(), w.name() + ": " + name + " from the downward API");
                assertNotNull(v.getValueFrom().getFieldRef(), w.name() + ": " + name + " from a fieldRef");
                assertEquals(DOWNWARD_API.get(name), v.getValueFrom().getFieldRef().getFieldPath(), w.name() + ": " + name);
            }
            EnvVar token = env.get(TOKEN_ENV);
            assertNotNull(token, w.name() + ": env " + TOKEN_ENV);
            assertNotNull(token.getValueFrom().getSecretKeyRef(), w.name() + ": " + TOKEN_ENV + " from the Secret");
            assertEquals(TOKEN_SECRET, token.getValueFrom().getSecretKeyRef().getName(), w.name());
            assertTrue(secretKeys.contains(token.getValueFrom().getSecretKeyRef().getKey()),
                    w.name() + ": key " + token.getValueFrom().getSecretKeyRef().getKey() + " not in Secret " + TOKEN_SECRET);
            assertFalse(Boolean.TRUE.equals(token.getValueFrom().getSecretKeyRef().getOptional()), w.name() + ": the Secret is required");
        }
    }

    @Test
    void everyPodRunsRestrictedWithAWritableTmp() {
        for (Workload w : workloads()) {
            String n = w.name();
            PodSpec spec = w.spec();
            PodSecurityContext pod = spec.getSecurityContext();
            assertNotNull(pod, n + ": pod securityContext");
            assertFalse(Boolean.TRUE.equals(spec.getHostPID()) || Boolean.TRUE.equals(spec.getHostIPC()), n + ": no host PID or IPC namespace");
            assertEquals(Boolean.FALSE, spec.getAutomountServiceAccountToken(), n + ": no API token: the agent never calls the API");
            assertEquals(Boolean.FALSE, spec.getEnableServiceLinks(), n + ": no Service-link variables among NETBENCH_*");
            assertEquals(30L, spec.getTerminationGracePeriodSeconds(), n + ": terminationGracePeriodSeconds");
            for (Container c : spec.getContainers()) {
                SecurityContext sc = Objects.requireNonNullElse(c.getSecurityContext(), new SecurityContext());
                assertEquals(Boolean.TRUE, first(sc.getRunAsNonRoot(), pod.getRunAsNonRoot()), n + ": runAsNonRoot");
                assertEquals(RUN_AS_USER, first(sc.getRunAsUser(), pod.getRunAsUser()), n + ": runAsUser");
                String seccomp = first(sc.getSeccompProfile() == null ? null : sc.getSeccompProfile().getType(),
                        pod.getSeccompProfile() == null ? null : pod.getSeccompProfile().getType());
                assertEquals("RuntimeDefault", seccomp, n + ": seccompProfile");
                assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), n + ": allowPrivilegeEscalation");
                assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), n + ": readOnlyRootFilesystem");
                assertFalse(Boolean.TRUE.equals(sc.getPrivileged()), n + ": privileged");
                Capabilities caps = sc.getCapabilities();
                assertNotNull(caps, n + ": capabilities");
                assertEquals(List.of("ALL"), caps.getDrop(), n + ": capabilities drop ALL");
                assertTrue(caps.getAdd() == null || caps.getAdd().isEmpty(), n + ": no capability added");

                VolumeMount tmp = Objects.requireNonNullElse(c.getVolumeMounts(), List.<VolumeMount>of()).stream()
                        .filter(v -> "/tmp".equals(v.getMountPath())).findFirst()
                        .orElseThrow(() -> new AssertionError(n + ": /tmp mounted (the JVM needs it writable)"));
                assertFalse(Boolean.TRUE.equals(tmp.getReadOnly()), n + ": /tmp writable");
                Volume v = spec.getVolumes().stream().filter(x -> x.getName().equals(tmp.getName())).findFirst()
                        .orElseThrow(() -> new AssertionError(n + ": no volume " + tmp.getName()));
                assertNotNull(v.getEmptyDir(), n + ": /tmp is an emptyDir");

                assertResources(n, c);
            }
        }
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static void assertResources(String n, Container c) {
        assertNotNull(c.getResources(), n + ": resources");
        Map<String, Quantity> requests = c.getResources().getRequests();
        Map<String, Quantity> limits = c.getResources().getLimits();
        assertNotNull(requests, n + ": requests");
        assertNotNull(limits, n + ": limits");
        assertEquals(Set.of("cpu", "memory"), requests.keySet(), n + ": requests");
        assertEquals(Set.of("cpu", "memory"), limits.keySet(), n + ": limits");
        for (String r : List.of("cpu", "memory")) {
            assertTrue(requests.get(r).getNumericalAmount().signum() > 0, n + ": " + r + " request");
            assertTrue(requests.get(r).getNumericalAmount().compareTo(limits.get(r).getNumericalAmount()) <= 0,
                    n + ": " + r + " request above its limit");
        }
        // small enough to fit on any node beside its workloads
        assertTrue(requests.get("cpu").getNumericalAmount().compareTo(new BigDecimal("0.1")) <= 0, n + ": cpu request");
        assertTrue(requests.get("memory").getNumericalAmount().compareTo(new BigDecimal(256L << 20)) <= 0, n + ": memory request");
    }

    @Test
    void daemonSetsSelectTheirOwnPodsAndTolerateTheControlPlane() {
        for (String name : List.of("netbench-pod", "netbench-host")) {
            DaemonSet ds = find(DaemonSet.class, name);
            Map<String, String> selector = ds.getSpec().getSelector().getMatchLabels();
            assertNotNull(selector, name + ": matchLabels");
            assertTrue(ds.getSpec().getSelector().getMatchExpressions() == null || ds.getSpec().getSelector().getMatchExpressions().isEmpty(), name);
            assertTrue(matches(selector, ds.getSpec().getTemplate().getMetadata().getLabels()), name + ": selector matches its template");
            boolean controlPlane = ds.getSpec().getTemplate().getSpec().getTolerations().stream().anyMatch(t ->
                    "Exists".equals(t.getOperator()) && (t.getKey() == null
                            || ("node-role.kubernetes.io/control-plane".equals(t.getKey()) && (t.getEffect() == null || "NoSchedule".equals(t.getEffect())))));
            assertTrue(controlPlane, name + ": tolerates the control-plane taint");
        }
        Map<String, String> pod = find(DaemonSet.class, "netbench-pod").getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> host = find(DaemonSet.class, "netbench-host").getSpec().getTemplate().getMetadata().getLabels();
        assertFalse(matches(find(DaemonSet.class, "netbench-pod").getSpec().getSelector().getMatchLabels(), host), "selectors overlap");
        assertFalse(matches(find(DaemonSet.class, "netbench-host").getSpec().getSelector().getMatchLabels(), pod), "selectors overlap");
    }

    private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return labels != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    /** Which DaemonSet each Service must select, and whether it is headless. */
    private static final Map<String, String> SERVICE_TARGETS = Map.of(
            "netbench-pod", "netbench-pod",
            "netbench-host", "netbench-host",
            "netbench", "netbench-pod",
            "netbench-lb", "netbench-pod",
            "netbench-nodeport", "netbench-pod");

    @Test
    void servicesSelectOneAgentSetAndTargetItsNamedPorts() {
        List<Service> services = manifests().stream().map(Manifest::object).filter(Service.class::isInstance).map(Service.class::cast).toList();
        assertEquals(new TreeSet<>(SERVICE_TARGETS.keySet()), services.stream().map(s -> s.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new)));
        List<Workload> workloads = workloads();
        for (Service svc : services) {
            String name = svc.getMetadata().getName();
            String n = "Service " + name;
            Map<String, String> selector = svc.getSpec().getSelector();
            assertNotNull(selector, n + ": selector");
            List<Workload> selected = workloads.stream().filter(w -> matches(selector, w.template().getMetadata().getLabels())).toList();
            assertEquals(List.of(SERVICE_TARGETS.get(name)), selected.stream().map(Workload::name).toList(), n + ": selects exactly its DaemonSet");
            Workload w = selected.get(0);
            assertEquals("DaemonSet", w.kind(), n);
            Set<String> names = new HashSet<>();
            for (ServicePort p : svc.getSpec().getPorts()) {
                assertTrue(names.add(p.getName()), n + ": port name twice: " + p.getName());
                IntOrString target = p.getTargetPort();
                assertNotNull(target, n + ": targetPort");
                assertNotNull(target.getStrVal(), n + ": targetPort by name, not number: " + target);
                ContainerPort cp = port(w, target.getStrVal());
                assertEquals(protocol(cp.getProtocol()), protocol(p.getProtocol()), n + ": protocol of " + p.getName());
                // the Service's ports are the agent's: a client's --port/--http-port work the same either way
                assertEquals(cp.getContainerPort(), p.getPort(), n + ": port " + p.getName());
                assertEquals(cp.getName(), p.getName(), n + ": port names follow the container's");
            }
            String type = Objects.requireNonNullElse(svc.getSpec().getType(), "ClusterIP");
            switch (name) {
                case "netbench-pod", "netbench-host" -> {
                    assertEquals("ClusterIP", type, n);
                    assertEquals("None", svc.getSpec().getClusterIP(), n + ": headless");
                }
                case "netbench" -> {
                    assertEquals("ClusterIP", type, n);
                    assertTrue(svc.getSpec().getClusterIP() == null, n + ": a virtual IP, not headless");
                }
                case "netbench-lb" -> assertEquals("LoadBalancer", type, n);
                case "netbench-nodeport" -> assertEquals("NodePort", type, n);
                default -> fail("unexpected Service " + n);
            }
        }
    }

    @Test
    void theLoadBalancerLivesInItsOverlay() {
        Path overlay = root().resolve("overlays/loadbalancer");
        List<Manifest> inOverlay = manifests().stream().filter(m -> m.file().startsWith(overlay)).toList();
        assertEquals(List.of("netbench-lb"), inOverlay.stream().map(m -> m.object().getMetadata().getName()).toList());
        for (Manifest m : manifests()) {
            if (m.object() instanceof Service s && !"ClusterIP".equals(Objects.requireNonNullElse(s.getSpec().getType(), "ClusterIP"))) {
                assertTrue(m.file().startsWith(root().resolve("overlays")), m.describe() + ": exposed outside the cluster only by an overlay");
            }
        }
    }

    @Test
    void theClientJobTargetsTheClusterIpService() {
        Job job = find(Job.class, "netbench-client");
        Workload w = new Workload("Job", "netbench-client", job.getSpec().getTemplate());
        Object cmd = command(w.container(), w.name());
        assertTrue(cmd instanceof ClientCommand, "the Job runs netbench client");
        ClientCommand client = (ClientCommand) cmd;
        assertTrue(client.format.json, "--json: one document in the log");
        assertNotNull(client.host, "a HOST: no loopback self-test in the cluster");
        Service svc = find(Service.class, "netbench");
        assertEquals(svc.getMetadata().getName() + "." + svc.getMetadata().getNamespace() + ".svc", client.host, "the ClusterIP Service's name");
        Set<Integer> servicePorts = svc.getSpec().getPorts().stream().map(ServicePort::getPort).collect(Collectors.toSet());
        assertTrue(servicePorts.contains(client.port), "the Service serves the client's --port " + client.port);
        assertTrue(servicePorts.contains(client.httpPort), "the Service serves the client's --http-port " + client.httpPort);
        assertTrue(List.of("Never", "OnFailure").contains(w.spec().getRestartPolicy()), "restartPolicy");
        assertFalse(Boolean.TRUE.equals(w.spec().getHostNetwork()), "the client runs in the pod network");
        assertTrue(w.container().getPorts() == null || w.container().getPorts().isEmpty(), "the client listens on nothing");
        assertNotNull(job.getSpec().getBackoffLimit(), "retries while the agents start");
    }

    /** Start, discovery, connections and a retry's back-off, per attempt of the matrix Job: generous. */
    private static final double MATRIX_SETUP_SECONDS = 60;

    @Test
    void theMatrixJobFindsTheAgentsThroughTheirHeadlessServices() {
        Job job = find(Job.class, "netbench-matrix");
        Workload w = new Workload("Job", "netbench-matrix", job.getSpec().getTemplate());
        Object cmd = command(w.container(), w.name());
        assertTrue(cmd instanceof MatrixCommand, "the Job runs netbench matrix");
        MatrixCommand matrix = (MatrixCommand) cmd;
        assertTrue(matrix.format.json, "--json: one document in the log");
        assertTrue(matrix.quiet, "--quiet: no progress lines in the log");
        assertNotNull(matrix.label, "--label: the run's name in compare");
        assertTrue(matrix.peers.isEmpty(), "agents found by their Services' names, not by addresses");

        assertEquals(1, matrix.pods.size(), "--pods");
        assertHeadlessOver(HostPort.parse(matrix.pods.get(0), Protocol.DEFAULT_PORT), "netbench-pod", "--pods");
        assertEquals(1, matrix.hosts.size(), "--hosts");
        assertHeadlessOver(HostPort.parse(matrix.hosts.get(0), MatrixCommand.DEFAULT_HOST_PORT), "netbench-host", "--hosts");

        // the ClusterIP: connections go to the Service's ports, which kube-proxy maps to an agent's
        assertNotNull(matrix.service, "--service: pod>Service>pod");
        HostPort service = HostPort.parse(matrix.service, Protocol.DEFAULT_PORT);
        Service svc = serviceNamed(service.host(), "--service");
        assertNull(svc.getSpec().getClusterIP(), "--service: a virtual IP, not a headless Service");
        assertEquals(List.of("netbench-pod"), selectedWorkloads(svc), "--service: over the pod agents");
        assertEquals(servicePort(svc, "tests").getPort(), service.port(), "--service: the Service's tests port");
        assertEquals(servicePort(svc, "http").getPort(), matrix.serviceHttpPort, "--service-http-port: the Service's http port");
        // outside>LB>pod is measured from the orchestrator itself: from this pod it would not be outside
        assertNull(matrix.external, "no --external in the cluster");

        assertEquals("Never", w.spec().getRestartPolicy(), "a failed attempt leaves its pod and log; the Job retries in a new one");
        assertFalse(Boolean.TRUE.equals(w.spec().getHostNetwork()), "the orchestrator runs in the pod network");
        assertTrue(w.container().getPorts() == null || w.container().getPorts().isEmpty(), "the orchestrator listens on nothing");
        assertNotNull(job.getSpec().getBackoffLimit(), "backoffLimit");
        assertNotNull(job.getSpec().getActiveDeadlineSeconds(), "activeDeadlineSeconds");
        double perTest = (matrix.time.toNanos() + matrix.test.warmup.toNanos()) / 1e9;
        double perAttempt = Scenario.values().length * matrix.tests.size() * perTest + MATRIX_SETUP_SECONDS;
        double needed = (job.getSpec().getBackoffLimit() + 1) * perAttempt;
        assertTrue(job.getSpec().getActiveDeadlineSeconds() >= needed,
                "activeDeadlineSeconds " + job.getSpec().getActiveDeadlineSeconds() + " < " + needed + " s that every scenario, test and attempt take");
    }

    /**
     * A --pods or --hosts argument names a headless Service over exactly that DaemonSet, and its port is the one
     * the agents listen on: the name resolves to the pods' own addresses, so the Service's port plays no part.
     */
    private static void assertHeadlessOver(HostPort arg, String daemonSet, String option) {
        Service svc = serviceNamed(arg.host(), option);
        assertEquals("None", svc.getSpec().getClusterIP(), option + ": a headless Service, resolving to every agent");
        assertEquals(List.of(daemonSet), selectedWorkloads(svc), option + ": over the " + daemonSet + " agents");
        Workload agents = daemonSet(daemonSet);
        assertEquals(server(agents).port, arg.port(), option + ": the port " + daemonSet + " listens on (--port)");
        ServicePort tests = servicePort(svc, "tests");
        assertEquals(port(agents, tests.getTargetPort().getStrVal()).getContainerPort(), arg.port(), option + ": the Service's tests target");
    }

    /** The Service a cluster DNS name NAME.NAMESPACE.svc stands for. */
    private static Service serviceNamed(String dnsName, String option) {
        List<Service> services = manifests().stream().map(Manifest::object).filter(Service.class::isInstance).map(Service.class::cast).toList();
        return services.stream().filter(s -> dnsName.equals(s.getMetadata().getName() + "." + s.getMetadata().getNamespace() + ".svc"))
                .findFirst().orElseThrow(() -> new AssertionError(option + " " + dnsName + " names none of the Services "
                        + services.stream().map(s -> s.getMetadata().getName() + "." + s.getMetadata().getNamespace() + ".svc").toList()));
    }

    private static List<String> selectedWorkloads(Service svc) {
        return workloads().stream().filter(w -> matches(svc.getSpec().getSelector(), w.template().getMetadata().getLabels()))
                .map(Workload::name).toList();
    }

    private static ServicePort servicePort(Service svc, String name) {
        return svc.getSpec().getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("Service " + svc.getMetadata().getName() + ": no port " + name));
    }

    /** The matrix Job is the client Job with other args: the same identity, token, restrictions and resources. */
    @Test
    void theMatrixJobRunsAsTheClientJobDoes() {
        Job clientJob = find(Job.class, "netbench-client");
        Job matrixJob = find(Job.class, "netbench-matrix");
        Workload client = new Workload("Job", "netbench-client", clientJob.getSpec().getTemplate());
        Workload matrix = new Workload("Job", "netbench-matrix", matrixJob.getSpec().getTemplate());
        assertEquals(client.container().getEnv(), matrix.container().getEnv(), "env: the downward API and the token");
        assertEquals(client.spec().getSecurityContext(), matrix.spec().getSecurityContext(), "pod securityContext");
        assertEquals(client.container().getSecurityContext(), matrix.container().getSecurityContext(), "container securityContext");
        assertEquals(client.container().getResources(), matrix.container().getResources(), "resources");
        assertEquals(client.container().getVolumeMounts(), matrix.container().getVolumeMounts(), "volumeMounts");
        assertEquals(client.spec().getVolumes(), matrix.spec().getVolumes(), "volumes");
        assertEquals(client.container().getImage(), matrix.container().getImage(), "image");
        // it only connects to the agents' test ports
        assertEquals(Boolean.FALSE, matrix.spec().getAutomountServiceAccountToken(), "no service-account token");
        assertNull(matrix.spec().getServiceAccountName(), "no service account of its own");
        // `kubectl apply -l app.kubernetes.io/component=client` (re-running the client Job) leaves the matrix alone
        String component = "app.kubernetes.io/component";
        assertNotEquals(clientJob.getMetadata().getLabels().get(component), matrixJob.getMetadata().getLabels().get(component), component);
        assertEquals(matrixJob.getMetadata().getLabels(), matrix.template().getMetadata().getLabels(), "the pod carries the Job's labels");
    }

    @Test
    void theNamespaceAllowsTheHostNetworkAgents() {
        Namespace ns = find(Namespace.class, NAMESPACE);
        // hostNetwork is forbidden by the baseline and restricted Pod Security levels
        assertEquals("privileged", ns.getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"));
    }

    @Test
    void theSecretHoldsAPlaceholderToken() {
        Secret secret = find(Secret.class, TOKEN_SECRET);
        assertEquals("Opaque", secret.getType());
        String token = secret.getStringData() == null ? null : secret.getStringData().get("token");
        assertNotNull(token, "stringData.token");
        assertTrue(token.toLowerCase(Locale.ROOT).contains("placeholder"), "an obvious placeholder, not a real-looking secret: " + token);
    }

    // ---------------------------------------------------------------------------------------------------------
    // kustomize itself, where kubectl is installed

    private static final String KUBECTL = findKubectl();

    private static String findKubectl() {
        for (String dir : Objects.requireNonNullElse(System.getenv("PATH"), "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
                return Path.of(dir, "kubectl").toString();
            }
        }
        return null;
    }

    /**
     * kubectl missing skips these tests on a developer's machine and fails them in CI (CI=true), where nothing may
     * skip silently: the machine image ships kubectl (Google's package, with kustomize v5). .ci/run cannot install
     * it from Debian: bookworm's kubernetes-client is kubectl 1.20, whose kustomize v2.0.3 rejects a directory under
     * resources: ("'base' must be a file"), which these kustomizations use.
     */
    private static void requireKubectl() {
        if (KUBECTL == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("kubectl is not on the PATH, and CI=true: the machine image provides it");
            }
            abort("kubectl not on the PATH");
        }
    }

    /** `kubectl kustomize DIR`, offline: what `kubectl apply -k DIR` would send, parsed as strictly as the files. */
    private static List<HasMetadata> kustomize(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(KUBECTL, "kustomize", dir.toString()).redirectErrorStream(false).start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("kubectl kustomize " + dir + " took over 60 s");
        }
        assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + ": " + err.join());
        return parse(out, "kubectl kustomize " + root().getParent().getParent().relativize(dir));
    }

    private static List<String> names(List<HasMetadata> objects) {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).sorted().toList();
    }

    private static List<String> images(List<HasMetadata> objects) {
        List<String> images = new ArrayList<>();
        for (HasMetadata o : objects) {
            PodTemplateSpec t = o instanceof DaemonSet ds ? ds.getSpec().getTemplate() : o instanceof Job j ? j.getSpec().getTemplate() : null;
            if (t != null) {
                t.getSpec().getContainers().forEach(c -> images.add(c.getImage()));
            }
        }
        return images;
    }

    @Test
    void kustomizeBuildsTheBaseAndTheOverlays() throws Exception {
        requireKubectl();
        List<String> files = names(manifests().stream().filter(m -> m.file().startsWith(root().resolve("base"))).map(Manifest::object).toList());
        List<HasMetadata> base = kustomize(root());
        assertEquals(files, names(base), "kubectl apply -k deploy/kubernetes applies base/");
        assertEquals(List.of("netbench:latest", "netbench:latest", "netbench:latest"), images(base));
        for (String overlay : List.of("loadbalancer", "nodeport")) {
            List<String> expected = new ArrayList<>(files);
            expected.add("Service/netbench-" + overlay.replace("loadbalancer", "lb"));
            assertEquals(expected.stream().sorted().toList(), names(kustomize(root().resolve("overlays").resolve(overlay))), overlay);
        }
    }

    @Test
    void anImagesEntryRetargetsEveryContainer(@TempDir Path dir) throws Exception {
        requireKubectl();
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                images:
                  - name: netbench
                    newName: registry.example.com/team/netbench
                    newTag: 0.1.0
                """.formatted(dir.toRealPath().relativize(root().toRealPath())));
        assertEquals(List.of("registry.example.com/team/netbench:0.1.0", "registry.example.com/team/netbench:0.1.0",
                "registry.example.com/team/netbench:0.1.0"), images(kustomize(dir)));
    }

    /** Keeps {@link #manifests()} honest: the walk above finds the documents the files hold. */
    @Test
    void everyDocumentOfEveryFileIsRead() throws IOException {
        int documents = 0;
        for (Path file : yamlFiles()) {
            if (!isKustomization(file)) {
                try (Stream<String> lines = Files.lines(file)) {
                    Iterator<String> it = lines.iterator();
                    int kinds = 0;
                    while (it.hasNext()) {
                        if (it.next().startsWith("kind: ")) {
                            kinds++;
                        }
                    }
                    documents += kinds;
                }
            }
        }
        assertEquals(documents, manifests().size());
    }
}
