package dev.netbench.report.html;

import java.util.List;

/**
 * The HTML page around the report's sections: one file, styles inline, no scripts, no fonts or images to fetch.
 * Its Content-Security-Policy forbids every fetch (only inline styles are allowed), so it opens offline and
 * cannot call home even if a label carried a URL.
 */
final class Page {
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

    static final String CSS = """
            :root { color-scheme: light; }
            body { margin: 0; background: #fff; color: #1a1a1a;
              font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
            header, main, footer { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
            header { padding-top: 20px; border-bottom: 1px solid #ddd; }
            h1 { font-size: 24px; margin: 0 0 4px; }
            h2 { font-size: 19px; margin: 28px 0 10px; border-bottom: 1px solid #eee; padding-bottom: 4px; }
            h3 { font-size: 15px; margin: 16px 0 6px; }
            .subtitle { margin: 0 0 12px; color: #444; }
            nav ul { list-style: none; padding: 0; margin: 8px 0 12px; display: flex; flex-wrap: wrap; gap: 4px 16px; }
            a { color: #0b5394; }
            table { border-collapse: collapse; margin: 8px 0 16px; }
            caption { text-align: left; font-weight: 600; padding: 4px 0; }
            th, td { border: 1px solid #d0d0d0; padding: 4px 8px; text-align: left; vertical-align: top; }
            thead th { background: #f4f4f4; }
            tbody th { font-weight: 600; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            .about { display: flex; flex-wrap: wrap; gap: 0 32px; align-items: flex-start; }
            .hint { color: #555; font-size: 13px; max-width: 820px; }
            figure.chart-figure { margin: 12px 0 28px; }
            figure.chart-figure h3 { margin: 0 0 4px; }
            svg.chart { max-width: 100%; height: auto; display: block; }
            svg text { font-size: 12px; fill: #222; }
            svg .axis-title, svg .diff-title { font-size: 13px; font-weight: 600; }
            svg .grid { stroke: #e4e4e4; }
            svg .domain, svg .tick line:not(.grid) { stroke: #333; }
            .line { fill: none; stroke: currentColor; stroke-width: 2; }
            .point { fill: currentColor; stroke: #fff; stroke-width: 1; }
            .point.open { fill: none; stroke: currentColor; stroke-width: 2; }
            .whisker { fill: none; stroke: currentColor; stroke-width: 1.2; }
            ul.legend { list-style: none; padding: 0; margin: 4px 0 6px; display: flex; flex-wrap: wrap; gap: 4px 20px; }
            ul.legend li { display: flex; align-items: center; gap: 6px; }
            ul.legend .note { color: #555; }
            svg.key { flex: none; }
            details.data summary { cursor: pointer; color: #0b5394; }
            svg .bar-label { font-size: 11.5px; }
            svg .bar-label.missing { font-style: italic; fill: #8a1c1c; }
            svg .diff { font-weight: 600; }
            svg .diff.better { fill: #1a5290; }
            svg .diff.worse { fill: #8f4504; }
            table.heatmap td.cell { min-width: 110px; text-align: right; font-variant-numeric: tabular-nums; }
            table.heatmap td.cell .value { display: block; font-weight: 600; }
            table.heatmap td.cell .delta { display: block; font-size: 12px; }
            table.heatmap td.cell .ci { display: block; font-size: 11px; }
            table.heatmap td.failed { text-align: left; color: #6b0f0f;
              background: repeating-linear-gradient(45deg, #fff 0 6px, #f0dada 6px 12px); }
            table.heatmap td.failed .delta { max-width: 220px; overflow-wrap: anywhere; }
            table.heatmap td.ends { color: #444; font-size: 13px; }
            tr.baseline th, tr.baseline td { border-top: 2px solid #333; border-bottom: 2px solid #333; }
            .tag { font-size: 11px; font-weight: 600; border: 1px solid #333; border-radius: 3px; padding: 0 4px; }
            .unit { font-weight: normal; font-size: 12px; color: #444; }
            ul.scale { list-style: none; padding: 0; margin: 4px 0; display: flex; flex-wrap: wrap; }
            ul.scale li { padding: 4px 10px; font-size: 12px; border: 1px solid #ccc; }
            footer { border-top: 1px solid #ddd; margin-top: 32px; padding-top: 8px; padding-bottom: 24px; color: #555; font-size: 13px; }
            @media print { details.data { display: none; } a { color: inherit; } }
            """;

    private Page() {
    }

    /** A navigation entry: the section's id and its name. */
    record Link(String id, String text) {
    }

    static String render(String title, String subtitle, List<Link> nav, String body, String footer) {
        StringBuilder b = new StringBuilder(body.length() + 8192);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"").append(Html.esc(footer)).append("\">\n")
                .append("<title>").append(Html.esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        b.append("<header>\n<h1>").append(Html.esc(title)).append("</h1>\n");
        if (subtitle != null && !subtitle.isEmpty()) {
            b.append("<p class=\"subtitle\">").append(Html.esc(subtitle)).append("</p>\n");
        }
        if (nav.size() > 1) {
            b.append("<nav aria-label=\"sections\"><ul>");
            for (Link l : nav) {
                b.append("<li><a href=\"#").append(Html.esc(l.id())).append("\">").append(Html.esc(l.text())).append("</a></li>");
            }
            b.append("</ul></nav>\n");
        }
        b.append("</header>\n<main>\n").append(body).append("</main>\n<footer>").append(Html.esc(footer)).append("</footer>\n</body>\n</html>\n");
        return b.toString();
    }

    /** A two-column table of labelled values. */
    static String fields(String caption, List<ClientRun.Field> fields, String cls) {
        StringBuilder b = new StringBuilder("<table class=\"").append(Html.esc(cls)).append("\">\n<caption>").append(Html.esc(caption))
                .append("</caption>\n<tbody>\n");
        for (ClientRun.Field f : fields) {
            b.append("<tr><th scope=\"row\">").append(Html.esc(f.label())).append("</th><td>").append(Html.esc(f.value())).append("</td></tr>\n");
        }
        return b.append("</tbody>\n</table>\n").toString();
    }
}
