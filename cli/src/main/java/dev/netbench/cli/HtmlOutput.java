package dev.netbench.cli;

import dev.netbench.NetbenchException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Where an HTML report goes: checked before a long run starts, written whole (never a half-written file). */
final class HtmlOutput {
    private HtmlOutput() {
    }

    /** Why {@code file} cannot take a report, or null if it can: its directory must exist and be writable. */
    static String problem(Path file) {
        Path abs = file.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return abs + " is a directory";
        }
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return "no directory " + dir + " for " + file;
        }
        if (!Files.isWritable(dir)) {
            return "cannot write in " + dir;
        }
        return null;
    }

    /** Writes {@code html} to {@code file} through a temporary file in the same directory, then renames it. */
    static void write(Path file, String html) {
        Path abs = file.toAbsolutePath();
        Path tmp = null;
        try {
            // not createTempFile: its file is private (0600); this one gets the umask's mode, like any output
            tmp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Files.writeString(tmp, html, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new NetbenchException("cannot write the report " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing left to clean up that matters
                }
            }
        }
    }
}
