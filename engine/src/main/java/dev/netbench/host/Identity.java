package dev.netbench.host;

import dev.netbench.protocol.Fields;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who one end of a test is: what qperf's {@code conf} prints, plus the Kubernetes downward-API values
 * ({@code NODE_NAME}, {@code POD_NAME}, {@code POD_NAMESPACE}, {@code POD_IP}, {@code HOST_IP}) when set.
 * {@code bootId} (the kernel's boot id, shared by every container and network namespace on one host) and
 * {@code instance} (random per process) tell whether two ends share a host or a process; either may be null.
 */
public record Identity(String hostname, String version, String os, String kernel, String cpuModel, int cpus,
                       Map<String, String> kubernetes, String bootId, String instance) {

    public static final List<String> KUBERNETES_ENV = List.of("NODE_NAME", "POD_NAME", "POD_NAMESPACE", "POD_IP", "HOST_IP");
    private static final String INSTANCE = java.util.UUID.randomUUID().toString();

    public Identity {
        kubernetes = Map.copyOf(kubernetes);
    }

    /** An identity that says nothing of its host's or process's sameness with another. */
    public Identity(String hostname, String version, String os, String kernel, String cpuModel, int cpus,
                    Map<String, String> kubernetes) {
        this(hostname, version, os, kernel, cpuModel, cpus, kubernetes, null, null);
    }

    /** True when both identities are known to run on one kernel: their host-wide CPU is one and the same. */
    public boolean sameHost(Identity other) {
        return other != null && bootId != null && bootId.equals(other.bootId);
    }

    /** True when both are the same process (a loopback self-test, an agent testing itself). */
    public boolean sameProcess(Identity other) {
        return other != null && instance != null && instance.equals(other.instance);
    }

    /** This process's identity, read from the OS and the environment. */
    public static Identity local() {
        return local(System.getenv());
    }

    static Identity local(Map<String, String> env) {
        Map<String, String> k8s = new LinkedHashMap<>();
        for (String name : KUBERNETES_ENV) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                k8s.put(name, v);
            }
        }
        return new Identity(readHostname(), Version.get(), osName(), System.getProperty("os.version"), readCpuModel(),
                Runtime.getRuntime().availableProcessors(), k8s, readBootId(), INSTANCE);
    }

    public Fields toFields() {
        Fields.Builder b = Fields.builder()
                .put("hostname", hostname)
                .put("version", version)
                .put("os", os)
                .put("kernel", kernel)
                .put("cpu_model", cpuModel)
                .put("cpus", cpus);
        kubernetes.forEach((k, v) -> b.put("k8s." + k, v));
        if (bootId != null) {
            b.put("boot_id", bootId);
        }
        if (instance != null) {
            b.put("instance", instance);
        }
        return b.build();
    }

    public static Identity fromFields(Fields f) {
        return new Identity(f.require("hostname"), f.require("version"), f.require("os"), f.require("kernel"),
                f.require("cpu_model"), (int) f.requireLong("cpus"), f.withPrefix("k8s.").asMap(), f.get("boot_id"),
                f.get("instance"));
    }

    private static String readBootId() {
        try {
            String id = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
            return id.isEmpty() ? null : id;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String readHostname() {
        try {
            String fromProc = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!fromProc.isEmpty()) {
                return fromProc;
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux, or /proc not mounted: ask the resolver instead
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String osName() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // no os-release (a distroless image): the JVM's name is all there is
        }
        return System.getProperty("os.name");
    }

    private static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
