package dev.netbench.http;

import dev.netbench.report.HttpFigures;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load generator against a real third-party server: Debian's nginx, one worker, on a loopback port. */
class NginxTest {
    private static final Path NGINX = Path.of("/usr/sbin/nginx");

    @Test
    void keepAliveAndCloseAgainstNginx() throws Exception {
        if (!Files.isExecutable(NGINX)) {
            // nothing skips silently in CI
            Assertions.assertNotEquals("true", String.valueOf(System.getenv("CI")).toLowerCase(),
                    "nginx is not installed, and CI=true: .ci/run installs Debian's nginx");
            Assumptions.abort("nginx is not installed (.ci/run installs it)");
        }
        // nginx's worker drops root: the document root must be readable by others
        Path dir = Files.createTempDirectory("netbench-nginx", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(dir.resolve("index.html"), "x".repeat(612));
        Files.setPosixFilePermissions(dir.resolve("index.html"), PosixFilePermissions.fromString("rw-r--r--"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
                "daemon off;", "worker_processes 1;", "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("error.log") + ";", "events { worker_connections 1024; }",
                "http { access_log off; keepalive_requests 100000;",
                "  server { listen 127.0.0.1:" + port + "; root " + dir + "; } }", ""));
        Process nginx = new ProcessBuilder(NGINX.toString(), "-c", dir.resolve("nginx.conf").toString(), "-p", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
        try {
            waitForPort(port);
            HttpFigures k = HttpLoad.run(new HttpLoadSettings("127.0.0.1", port, "/index.html", 5000, 10, true, Duration.ZERO, 0, 2,
                    Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ZERO));
            assertEquals(5000, k.complete());
            assertEquals(0, k.failed());
            assertEquals(0, k.non2xx());
            assertEquals(612, k.documentLength());
            assertTrue(k.serverSoftware().startsWith("nginx"), k.serverSoftware());
            assertEquals(10, k.connections());
            HttpFigures c = HttpLoad.run(new HttpLoadSettings("127.0.0.1", port, "/index.html", 200, 4, false, Duration.ZERO, 0, 2,
                    Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ZERO));
            assertEquals(200, c.complete());
            assertEquals(200, c.connections());
            HttpFigures missing = HttpLoad.run(new HttpLoadSettings("127.0.0.1", port, "/missing", 10, 1, true, Duration.ZERO, 0, 1,
                    Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ZERO));
            assertEquals(10, missing.non2xx());
            assertEquals(0, missing.failed());
        } finally {
            nginx.destroy();
            nginx.waitFor();
        }
    }

    private static void waitForPort(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nginx did not start on port " + port);
    }
}
