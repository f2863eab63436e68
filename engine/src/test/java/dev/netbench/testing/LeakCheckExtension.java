package dev.netbench.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Registered for every test class (JUnit's extension auto-detection, META-INF/services): after each class, forces
 * Netty's leak detection and fails the class if a buffer leaked, with Netty's record of where it was touched. A leak
 * is reported once, by the first class after it that looks; its record shows where it came from.
 */
public final class LeakCheckExtension implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
        if (!RecordingLeakDetector.installed()) {
            return; // run without -Dio.netty.customResourceLeakDetector (an IDE): Netty's own logging only
        }
        RecordingLeakDetector.collect();
        List<String> leaks = RecordingLeakDetector.take(l -> true);
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) detected by the end of "
                    + context.getDisplayName() + " (paranoid leak detection):\n" + String.join("\n", leaks));
        }
    }
}
