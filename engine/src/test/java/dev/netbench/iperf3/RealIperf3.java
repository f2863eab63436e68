package dev.netbench.iperf3;

import dev.netbench.json.Json;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real iperf3 binary (Debian's 3.12 in CI) for interop tests. Missing, it fails the test when CI=true (.ci/run
 * installs it) and skips it elsewhere.
 */
final class RealIperf3 {
    private RealIperf3() {
    }

    static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(dir, "iperf3");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("iperf3 is not installed, and CI=true: .ci/run installs Debian's iperf3");
        }
        Assumptions.abort("iperf3 is not installed (.ci/run installs it)");
        return null;
    }

    /** A finished iperf3 run. */
    record Result(int exit, String stdout, String stderr) {
        Map<String, Object> json() {
            Assertions.assertEquals(0, exit, () -> "iperf3 exited " + exit + ": " + stdout + stderr);
            Map<String, Object> doc = Json.parseObjectLastDuplicateWins(stdout);
            Assertions.assertNull(doc.get("error"), () -> "iperf3 reported an error: " + doc.get("error"));
            return doc;
        }
    }

    /** Starts {@code iperf3 ARGS}; the future completes when it exits (killed after 30 s). */
    static CompletableFuture<Result> start(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary());
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        return CompletableFuture.supplyAsync(() -> {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                return new Result(p.waitFor(), out.join(), err.join());
            } catch (InterruptedException e) {
                p.destroyForcibly();
                throw new IllegalStateException(e);
            }
        });
    }

    static Result run(String... args) {
        return start(args).join();
    }

    /** {@code iperf3 -c 127.0.0.1 -p PORT -J ARGS}, parsed. */
    static Map<String, Object> client(int port, String... args) {
        List<String> all = new ArrayList<>(List.of("-c", "127.0.0.1", "-p", String.valueOf(port), "-J"));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new)).json();
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                in.transferTo(b);
                return b.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> m, String... path) {
        Map<String, Object> o = m;
        for (String k : path) {
            Object v = o.get(k);
            java.util.Set<String> keys = o.keySet();
            Assertions.assertTrue(v instanceof Map, () -> "no object " + k + " in " + keys);
            o = (Map<String, Object>) v;
        }
        return o;
    }

    static double number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        Assertions.assertTrue(v instanceof Number, () -> "no number " + key + " in " + m);
        return ((Number) v).doubleValue();
    }
}
