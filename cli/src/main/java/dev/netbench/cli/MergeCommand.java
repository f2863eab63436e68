package dev.netbench.cli;

import dev.netbench.NetbenchException;
import dev.netbench.host.Version;
import dev.netbench.json.Json;
import dev.netbench.json.JsonException;
import dev.netbench.report.SavedRuns;
import dev.netbench.report.ScenarioTable;
import dev.netbench.report.ScenarioTableJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "merge", mixinStandardHelpOptions = true, versionProvider = NetbenchCommand.VersionInfo.class, sortOptions = false,
        description = {"Merge saved runs of one plan into one document, as if measured with --repeat: client runs (client --json) "
                + "into one run whose tests carry every run's samples, their 95 % intervals and their latency histograms merged; "
                + "matrix runs (matrix --json) into one table whose cells carry every run's samples, for compare's verdicts."},
        footer = {"", "Examples:",
                "  for i in 1 2 3; do netbench client --tcp-bw --tcp-lat --json 10.0.0.7 > run$i.json; done",
                "  netbench merge run1.json run2.json run3.json > runs.json",
                "  netbench merge calico-mon.json calico-tue.json calico-wed.json -o calico.json; netbench compare calico.json cilium.json"})
final class MergeCommand implements Callable<Integer> {
    @Parameters(arity = "2..*", paramLabel = "RUN.json", description = "Saved documents, all client runs or all matrix runs.")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the merged document to FILE instead of stdout.")
    Path output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<Map<String, Object>> docs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path p : inputs) {
            names.add(p.getFileName().toString());
            try {
                docs.add(Json.parseObject(ReportCommand.read(p.toString())));
            } catch (JsonException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), p + ": not a JSON document: " + e.getMessage());
            }
        }
        long tables = docs.stream().filter(ScenarioTableJson::isScenarioTable).count();
        String merged;
        try {
            if (tables == docs.size()) {
                merged = ScenarioTableJson.format(ScenarioTable.merged(docs.stream().map(ScenarioTableJson::read).toList(), names),
                        Version.get());
            } else if (tables == 0) {
                merged = SavedRuns.merge(docs, names);
            } else {
                throw new CommandLine.ParameterException(spec.commandLine(), "merge takes client runs or matrix runs, not both");
            }
        } catch (JsonException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (output == null) {
            PrintWriter w = spec.commandLine().getOut();
            w.print(merged);
            w.flush();
        } else {
            try {
                Files.writeString(output, merged, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new NetbenchException("cannot write " + output + ": " + e.getMessage());
            }
        }
        return 0;
    }
}
