package dev.netbench.cli;

import dev.netbench.NetbenchException;
import dev.netbench.json.Json;
import dev.netbench.json.JsonException;
import dev.netbench.report.html.HtmlReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = NetbenchCommand.VersionInfo.class, sortOptions = false,
        description = {"Draw an HTML report from saved JSON documents: client results (client --json) and scenario tables "
                + "(matrix --json). One self-contained file: charts as inline SVG, every figure also as text, nothing fetched.",
                "Client results go into one report (several: their sweeps in the same charts, named after their files). "
                        + "Two scenario tables are compared, B against A; each is drawn as a heatmap against its baseline."},
        footer = {"", "Examples:",
                "  netbench client --tcp-bw --tcp-lat --msg 1:64K:*2 --json 10.0.0.7 > sweep.json",
                "  netbench report sweep.json -o sweep.html",
                "  netbench report calico.json cilium.json -o cni.html     both sweeps in the same charts",
                "  netbench client --json 10.0.0.7 | netbench report - -o run.html"})
final class ReportCommand implements Callable<Integer> {
    /** More than any real result document; the JSON parser needs the caller to bound its input. */
    static final long MAX_BYTES = 64L << 20;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.html", description = "Where to write the report ('-' for stdout).")
    String output;

    @Parameters(arity = "1..*", paramLabel = "RESULT.json", description = "Saved JSON documents ('-' for stdin).")
    List<String> inputs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Path out = output.equals("-") ? null : Path.of(output);
        if (out != null) {
            String problem = HtmlOutput.problem(out);
            if (problem != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "-o: " + problem);
            }
        }
        if (inputs.stream().filter(i -> i.equals("-")).count() > 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "stdin ('-') can be read once");
        }
        List<HtmlReport.Document> docs = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String in : inputs) {
            String text = read(in);
            String name = name(in);
            int n = seen.merge(name, 1, Integer::sum);
            if (n > 1) {
                name = name + " (" + n + ")";
            }
            try {
                docs.add(new HtmlReport.Document(name, Json.parseObject(text)));
            } catch (JsonException e) {
                throw new NetbenchException(in + ": not a JSON document: " + e.getMessage());
            }
        }
        String html;
        try {
            html = HtmlReport.fromDocuments(docs);
        } catch (JsonException e) {
            throw new NetbenchException("cannot draw a report of " + e.getMessage());
        }
        if (out == null) {
            PrintWriter w = spec.commandLine().getOut();
            w.print(html);
            w.flush();
        } else {
            HtmlOutput.write(out, html);
        }
        return 0;
    }

    /** What a document is called in the report: its file name without ".json"; stdin is "stdin". */
    static String name(String input) {
        if (input.equals("-")) {
            return "stdin";
        }
        String f = Path.of(input).getFileName().toString();
        return f.endsWith(".json") && f.length() > 5 ? f.substring(0, f.length() - 5) : f;
    }

    /** A saved document's text ('-': stdin), bounded by {@link #MAX_BYTES}; NetbenchException if it cannot be read. */
    static String read(String input) {
        try (InputStream in = input.equals("-") ? System.in : Files.newInputStream(Path.of(input))) {
            byte[] b = in.readNBytes((int) MAX_BYTES + 1);
            if (b.length > MAX_BYTES) {
                throw new NetbenchException(input + ": larger than " + (MAX_BYTES >> 20) + " MiB, not a netbench document");
            }
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NetbenchException("cannot read " + input + ": " + e);
        }
    }
}
