package dev.netbench.cli;

import dev.netbench.NetbenchException;
import dev.netbench.confidence.Difference;
import dev.netbench.gate.Gate;
import dev.netbench.host.Version;
import dev.netbench.report.ComparisonJson;
import dev.netbench.report.ScenarioPairs;
import dev.netbench.report.ScenarioTable;
import dev.netbench.report.ScenarioTableJson;
import dev.netbench.report.ScenarioTableText;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
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

    @CommandLine.Option(names = "--json", description = "Print the comparison as JSON: per scenario and metric both values, "
            + "the difference in percent, and where both sides have 3 samples or more (matrix --repeat) Welch's test: the mean "
            + "difference, its 95 %% confidence interval, the p-value and whether it is significant.")
    boolean json;

    @CommandLine.Option(names = "--fail-if-worse", paramLabel = "PERCENT", converter = Converters.Percent.class,
            description = "Exit with code 3 if B is significantly worse than A (Welch's test, p < 0.05) by more than PERCENT "
                    + "(e.g. 5%%) in a cell, by the mean difference; a difference within noise never fails.")
    Double failIfWorse;

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
        String nameA = a.getFileName().toString();
        String nameB = b.getFileName().toString();
        spec.commandLine().getOut().print(json ? ComparisonJson.format(ta, nameA, tb, nameB, Version.get())
                : ScenarioTableText.compare(ta, nameA, tb, nameB));
        spec.commandLine().getOut().flush();
        return failIfWorse == null ? 0 : gate(ta, tb);
    }

    /** --fail-if-worse: one stderr line per cell significantly worse by more than the bound; exit code 3 if any. */
    private int gate(ScenarioTable ta, ScenarioTable tb) {
        PrintWriter err = spec.commandLine().getErr();
        int breaches = 0;
        for (ScenarioPairs.Metric m : ScenarioPairs.of(ta, tb)) {
            for (ScenarioPairs.Pair p : m.pairs()) {
                Difference d = ScenarioPairs.difference(p.a(), p.b());
                double worse = d == null ? Double.NaN : m.column().higherIsBetter() ? -d.percent() : d.percent();
                if (d != null && d.significant() && worse > failIfWorse) {
                    err.println(String.format(Locale.ROOT, "netbench: worse than %s%%: %s %s: %s",
                            java.math.BigDecimal.valueOf(failIfWorse).stripTrailingZeros().toPlainString(),
                            p.label(), m.column().key(), ScenarioPairs.verdict(p, m.column().higherIsBetter())));
                    breaches++;
                }
            }
        }
        err.flush();
        return breaches > 0 ? Gate.BREACHED : 0;
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
