package dev.netbench.cli;

import io.netty.util.ResourceLeakDetector;
import picocli.CommandLine;

/** Entry point of the {@code netbench} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // a measuring instrument should not sample stack traces of its buffers: leak detection is for the tests
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        System.exit(execute(System.out, System.err, args));
    }

    /** Runs the command line and returns its exit code: 0 done, 1 the run failed, 2 bad arguments, 3 a --fail-if breached. */
    public static int execute(java.io.PrintStream out, java.io.PrintStream err, String... args) {
        CommandLine cmd = new CommandLine(new NetbenchCommand());
        cmd.setOut(new java.io.PrintWriter(out, true));
        cmd.setErr(new java.io.PrintWriter(err, true));
        cmd.setParameterExceptionHandler(Main::badArguments);
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof dev.netbench.NetbenchException) {
                c.getErr().println("netbench: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cmd.execute(args);
    }

    /** One line, exit code 2: no usage dump and no stack trace for a mistyped option. */
    private static int badArguments(CommandLine.ParameterException e, String[] args) {
        CommandLine c = e.getCommandLine();
        // picocli starts an exclusive group's message with "Error: ", which the line's "netbench: " already says
        String message = e.getMessage().startsWith("Error: ") ? e.getMessage().substring(7) : e.getMessage();
        c.getErr().println("netbench: " + message + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
        return CommandLine.ExitCode.USAGE;
    }
}
