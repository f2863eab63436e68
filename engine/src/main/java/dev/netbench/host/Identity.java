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
 */
public record Identity(String hostname, String version, String os, String kernel, String cpuModel, int cpus,
                       Map<String, String> kubernetes) {

    public static final List<String> KUBERNETES_ENV = List.of("NODE_NAME", "POD_NAME", "POD_NAMESPACE", "POD_IP", "HOST_IP");

    public Identity {
        kubernetes = Map.copyOf(kubernetes);
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
                Runtime.getRuntime().availableProcessors(), k8s);
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
        return b.build();
    }

    public static Identity fromFields(Fields f) {
        return new Identity(f.require("hostname"), f.require("version"), f.require("os"), f.require("kernel"),
                f.require("cpu_model"), (int) f.requireLong("cpus"), f.withPrefix("k8s.").asMap());
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
