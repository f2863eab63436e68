package dev.netbench.cli;

import dev.netbench.auth.Token;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;

/** {@code --token-file}, falling back to {@code NETBENCH_TOKEN}: the agents' shared secret (docs/security.md). */
final class TokenOption {
    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the agents' shared token (default: the NETBENCH_TOKEN environment variable). "
                    + "It never crosses the wire: both ends prove it with an HMAC over fresh nonces.")
    Path tokenFile;

    /** The token, or null when neither the file nor the variable gives one; a bad one is a usage error. */
    Token resolve(CommandSpec spec) {
        try {
            return Token.resolve(tokenFile, System.getenv());
        } catch (IllegalArgumentException e) {
            String where = tokenFile != null ? "--token-file" : Token.ENV;
            throw new ParameterException(spec.commandLine(), e.getMessage().startsWith("token file") ? e.getMessage()
                    : where + ": " + e.getMessage());
        }
    }
}
