package dev.netbench.client;

import dev.netbench.protocol.TestKind;
import dev.netbench.protocol.TestSpec;

import java.time.Duration;
import java.util.List;

/**
 * A client run. {@code host} null means a loopback self-test against an in-process server. {@code sizes}
 * empty means each test at its own default message size. {@code interval} zero means no progress lines.
 */
public record ClientSettings(String host, int port, List<TestKind> tests, List<Integer> sizes, Duration time,
                             Duration warmup, int parallel, boolean reverse, Duration interval, Duration connectTimeout) {

    public ClientSettings {
        tests = List.copyOf(tests);
        sizes = List.copyOf(sizes);
        if (tests.isEmpty()) {
            throw new IllegalArgumentException("no test selected");
        }
        if (parallel < 1 || parallel > TestSpec.MAX_STREAMS) {
            throw new IllegalArgumentException("parallel streams must be 1.." + TestSpec.MAX_STREAMS);
        }
    }
}
