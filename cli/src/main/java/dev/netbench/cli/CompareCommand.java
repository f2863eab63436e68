package dev.netbench.cli;

import dev.netbench.NetbenchException;
import dev.netbench.report.ScenarioTable;
import dev.netbench.report.ScenarioTableJson;
import dev.netbench.report.ScenarioTableText;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = NetbenchCommand.VersionInfo.class,
        description = "Print two matrix runs (netbench matrix --json) side by side, with B's difference from A in percent: "
                + "CNI A against CNI B.")
final class CompareCommand implements Callable<Integer> {
    /** Larger documents are not matrix results; refuse before reading them into memory. */
    private static final long MAX_BYTES = 64L << 20;

    @Parameters(index = "0", paramLabel = "A.json", description = "The baseline run.")
    Path a;

    @Parameters(index = "1", paramLabel = "B.json", description = "The run compared with it.")
    Path b;

    @CommandLine.Option(names = "--report", paramLabel = "FILE.html", description = "Also write an HTML report: side-by-side "
            + "bars with the differences in percent, and both heatmaps (self-contained; opens offline).")
    Path report;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (report != null && HtmlOutput.problem(report) != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--report: " + HtmlOutput.problem(report));
        }
        ScenarioTable ta = read(a);
        ScenarioTable tb = read(b);
        if (report != null) {
            HtmlOutput.write(report, dev.netbench.report.html.HtmlReport.compare(ta, a.getFileName().toString(), tb,
                    b.getFileName().toString()));
        }
        spec.commandLine().getOut().print(ScenarioTableText.compare(ta, a.getFileName().toString(), tb, b.getFileName().toString()));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private ScenarioTable read(Path p) {
        try {
            if (Files.size(p) > MAX_BYTES) {
                throw new NetbenchException(p + ": larger than " + (MAX_BYTES >> 20) + " MiB, not a matrix result");
            }
            return ScenarioTableJson.parse(Files.readString(p));
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + p + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), p + " is not a matrix result: " + e.getMessage());
        }
    }
}
