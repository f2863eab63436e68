#!/usr/bin/env python3
"""Opens a netbench HTML report in headless Chromium (through chromedriver on loopback) and checks it.

Standard library only. Checks, whatever the report:
  - the page loads, no console message of level SEVERE (errors, CSP violations, failed loads);
  - no network request other than the report file itself (Chromium's DevTools Network events, from the
    performance log) and no resource entries in the page (everything is inline);
  - every chart point has finite coordinates inside its SVG; every axis has text tick labels and a title.
And by --kind:
  sweep:   bandwidth and latency vs message size charts, log-scale size axis, one point per swept size in every
           line (--sizes), percentile plots with percentile tick labels;
  matrix:  the heatmap has one row per scenario and one cell per column of the --table JSON, the baseline row
           marked, failed cells say "failed", every other cell says its % against the baseline;
  compare: one bar chart per column of the --table JSON, one pair of bars per scenario, a difference on each.
Saves a full-page screenshot (--screenshot) and one per chart next to it.
"""
import argparse
import base64
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--window-size=1280,1000"]

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Driver:
    def __init__(self, chromedriver, chromium, profile, log):
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.proc = subprocess.Popen([chromedriver, "--port=%d" % self.port, "--log-path=" + log],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while True:
            try:
                if self.call("GET", "/status")["ready"]:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            if time.time() > deadline or self.proc.poll() is not None:
                raise SystemExit("chromedriver did not start")
            time.sleep(0.2)
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": CHROME_FLAGS + ["--user-data-dir=" + profile]},
            "goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"}}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return json.loads(r.read())["value"]
        except urllib.error.HTTPError as e:
            raise SystemExit("chromedriver %s %s: %s" % (method, path, e.read().decode(errors="replace")[:2000]))

    def s(self, method, path, body=None):
        return self.call(method, "/session/%s%s" % (self.session, path), body)

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def logs(self, kind):
        return self.s("POST", "/se/log", {"type": kind})

    def screenshot(self, path, element=None):
        png = self.s("GET", "/element/%s/screenshot" % element if element else "/screenshot")
        with open(path, "wb") as f:
            f.write(base64.b64decode(png))

    def quit(self):
        try:
            self.s("DELETE", "")
        finally:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


# Facts about the page, gathered in the browser.
FACTS_JS = r"""
const chart = svg => {
  const vb = svg.viewBox.baseVal;
  const series = [...svg.querySelectorAll('g.series')].map(g => ({
    name: g.getAttribute('data-series'),
    xs: [...g.querySelectorAll('.point')].map(p => Number(p.getAttribute('data-x'))),
    boxes: [...g.querySelectorAll('.point')].map(p => { const b = p.getBBox(); return [b.x, b.y, b.width, b.height]; })
  }));
  const axis = cls => {
    const g = svg.querySelector('g.' + cls);
    return g ? { ticks: [...g.querySelectorAll('.tick-label')].map(t => t.textContent),
                 title: (g.querySelector('.axis-title') || {}).textContent || '' } : null;
  };
  return { kind: svg.getAttribute('data-kind'), column: svg.getAttribute('data-column'),
           width: vb.width, height: vb.height, x: axis('x-axis'), y: axis('y-axis'), series,
           pairs: [...svg.querySelectorAll('g.pair')].map(g => ({
             scenario: g.getAttribute('data-scenario'),
             bars: g.querySelectorAll('rect.bar').length + g.querySelectorAll('.bar-label.missing').length,
             diff: (g.querySelector('.diff') || {}).textContent || '' })),
           badPaths: [...svg.querySelectorAll('[d]')].filter(e => /NaN|Infinity/.test(e.getAttribute('d'))).length,
           whiskers: [...svg.querySelectorAll('.whisker')].map(w => { const b = w.getBBox();
             return { low: Number(w.getAttribute('data-low')), high: Number(w.getAttribute('data-high')), box: [b.x, b.y, b.width, b.height] }; }),
           id: svg.closest('figure') ? svg.closest('figure').id : '' };
};
const heatmaps = [...document.querySelectorAll('table.heatmap')].map(t => ({
  baseline: t.getAttribute('data-baseline'),
  columns: [...t.querySelectorAll('thead th[data-column]')].map(th => th.getAttribute('data-column')),
  rows: [...t.querySelectorAll('tbody tr')].map(tr => ({
    scenario: tr.getAttribute('data-scenario'), baseline: tr.classList.contains('baseline'),
    cells: [...tr.querySelectorAll('td.cell')].map(td => ({
      column: td.getAttribute('data-column'), failed: td.classList.contains('failed'),
      text: td.textContent, background: getComputedStyle(td).backgroundColor, score: td.getAttribute('data-score') })) }))
}));
return { title: document.title, charts: [...document.querySelectorAll('svg.chart')].map(chart), heatmaps,
         resources: performance.getEntriesByType('resource').map(r => r.name),
         scripts: document.scripts.length, links: document.querySelectorAll('link, img, iframe, object, embed').length,
         height: document.documentElement.scrollHeight };
"""


def check_common(facts, page_url, driver):
    check(facts["scripts"] == 0 and facts["links"] == 0, "no scripts, links, images or frames in the page")
    check(facts["resources"] == [], "no resources loaded by the page: %s" % facts["resources"])
    for c in facts["charts"]:
        where = "chart %s (%s)" % (c["id"], c["kind"])
        check(c["badPaths"] == 0, where + ": no NaN in any path")
        check(c["x"] is not None and len(c["x"]["ticks"]) >= 2 and all(t.strip() for t in c["x"]["ticks"]),
              where + ": x axis with text tick labels %s" % (c["x"] or {}).get("ticks"))
        check(c["x"] is not None and c["x"]["title"].strip() != "", where + ": x axis title %r" % (c["x"] or {}).get("title"))
        if c["kind"] != "compare":
            check(c["y"] is not None and len(c["y"]["ticks"]) >= 2, where + ": y axis with tick labels %s" % (c["y"] or {}).get("ticks"))
            check(c["y"] is not None and "(" in c["y"]["title"], where + ": y axis title names its unit: %r" % (c["y"] or {}).get("title"))
        for s in c["series"]:
            inside = all(b[0] >= -1 and b[1] >= -1 and b[0] + b[2] <= c["width"] + 1 and b[1] + b[3] <= c["height"] + 1
                         for b in s["boxes"])
            check(inside, where + ": every point of %r inside the chart" % s["name"])
    errors = [e for e in driver.logs("browser") if e.get("level") == "SEVERE"]
    check(errors == [], "no console errors: %s" % errors)
    requests = []
    for e in driver.logs("performance"):
        m = json.loads(e["message"])["message"]
        if m["method"] == "Network.requestWillBeSent":
            requests.append(m["params"]["request"]["url"])
    check(requests and all(u == page_url for u in requests),
          "no network request but the page itself: %s" % requests)


def check_sweep(facts, sizes):
    kinds = [c["kind"] for c in facts["charts"]]
    for kind in ("sweep-bandwidth", "sweep-latency"):
        check(kind in kinds, "a %s chart" % kind)
    for c in facts["charts"]:
        if not c["kind"].startswith("sweep-"):
            continue
        check("Message size" in c["x"]["title"] and "log" in c["x"]["title"], c["kind"] + ": log-scale message-size axis")
        check(all(re.fullmatch(r"\d+(\.\d+)? (B|KiB|MiB)", t) for t in c["x"]["ticks"]), c["kind"] + ": size ticks: %s" % c["x"]["ticks"])
        for s in c["series"]:
            check(sorted(s["xs"]) == sizes, "%s / %s: one point per swept size (%d points, %d sizes)"
                  % (c["kind"], s["name"], len(s["xs"]), len(sizes)))
    unit = {c["kind"]: c["y"]["title"] for c in facts["charts"] if c["kind"].startswith("sweep-")}
    check("bit/s" in unit.get("sweep-bandwidth", ""), "bandwidth axis in bit/s: %r" % unit.get("sweep-bandwidth"))
    check(any(u in unit.get("sweep-latency", "") for u in ("µs", "ms")), "latency axis in µs or ms: %r" % unit.get("sweep-latency"))
    pct = [c for c in facts["charts"] if c["kind"] == "percentiles"]
    check(len(pct) >= 1, "a latency percentile plot")
    for c in pct:
        check("99%" in c["x"]["ticks"] and "50%" in c["x"]["ticks"], "percentile ticks 50%% and 99%%: %s" % c["x"]["ticks"])
        check(len(c["series"]) == len(sizes), "%s: a line per message size" % c["id"])


def check_whiskers(facts):
    """--repeat: every sweep point carries its interval as a whisker that lies inside its chart and around the point."""
    for c in facts["charts"]:
        if not c["kind"].startswith("sweep-"):
            continue
        points = sum(len(s["xs"]) for s in c["series"])
        check(len(c["whiskers"]) == points, "%s: a whisker per point (%d whiskers, %d points)" % (c["kind"], len(c["whiskers"]), points))
        for w in c["whiskers"]:
            b = w["box"]
            check(w["low"] <= w["high"] and b[1] >= -1 and b[1] + b[3] <= c["height"] + 1,
                  "%s: whisker %s..%s inside the chart" % (c["kind"], w["low"], w["high"]))


def score_colour(score):
    neutral, better, worse = (0xf2, 0xf2, 0xf2), (0x21, 0x66, 0xac), (0xb3, 0x58, 0x06)
    to, t = (better if score >= 0 else worse), min(1.0, abs(score))
    return tuple(math.floor(a + (b - a) * t + 0.5) for a, b in zip(neutral, to))


def check_matrix(facts, table):
    check(len(facts["heatmaps"]) >= 1, "a heatmap")
    h = facts["heatmaps"][0]
    keys = [c["key"] for c in table["columns"]]
    check(h["columns"] == keys, "a heatmap column per metric: %s" % h["columns"])
    check([r["scenario"] for r in h["rows"]] == [s["scenario"] for s in table["scenarios"]], "a heatmap row per scenario")
    for row, scen in zip(h["rows"], table["scenarios"]):
        check(row["baseline"] == (scen["scenario"] == table["baseline"]), "%s: baseline marked only on the baseline" % scen["scenario"])
        check(len(row["cells"]) == len(keys), "%s: a cell per column" % scen["scenario"])
        for cell in row["cells"]:
            where = "%s/%s" % (scen["scenario"], cell["column"])
            if cell["column"] in scen.get("errors", {}):
                check(cell["failed"] and "failed" in cell["text"] and scen["errors"][cell["column"]][:20] in cell["text"],
                      where + ": failed, with the reason")
            elif cell["column"] in scen.get("notes", {}):
                # a figure withheld with its reason (a cost two ends on one host cannot split): n/a, not compared
                check("n/a" in cell["text"], where + ": n/a, as withheld: %r" % cell["text"])
            elif row["baseline"]:
                check("baseline" in cell["text"], where + ": says baseline")
            else:
                check("%" in cell["text"] and ("better" in cell["text"] or "worse" in cell["text"] or "same" in cell["text"]),
                      where + ": %% against the baseline in words: %r" % cell["text"])
                score = float(cell["score"]) if cell["score"] else 0
                shown = tuple(int(v) for v in re.findall(r"\d+", cell["background"])[:3])
                # the renderer's rule: neutral grey mixed toward blue (better) or orange (worse) by |score|, to whole
                # RGB steps, so a score of a few thousandths is still grey; data-score has 4 decimals, hence ±1
                check(all(abs(a - b) <= 1 for a, b in zip(shown, score_colour(score))) and len(shown) == 3,
                      where + ": coloured by its score (%s, %s)" % (cell["score"], cell["background"]))


def check_compare(facts, table):
    bars = [c for c in facts["charts"] if c["kind"] == "compare"]
    check([c["column"] for c in bars] == [c["key"] for c in table["columns"]], "a bar chart per metric")
    for c in bars:
        check(len(c["pairs"]) == len(table["scenarios"]), "%s: a pair of bars per scenario" % c["column"])
        for p in c["pairs"]:
            check(p["bars"] == 2 and p["diff"].strip() != "", "%s/%s: two bars and a difference (%r)" % (c["column"], p["scenario"], p["diff"]))
    check(len(facts["heatmaps"]) == 2, "both matrices as heatmaps")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--html", required=True)
    ap.add_argument("--kind", choices=["sweep", "matrix", "compare"], required=True)
    ap.add_argument("--sizes", help="sweep: the swept sizes, comma-separated")
    ap.add_argument("--result", help="sweep: the client JSON the report was drawn from; its sizes must be --sizes")
    ap.add_argument("--table", help="matrix, compare: the scenario table JSON the report was drawn from")
    ap.add_argument("--whiskers", action="store_true", help="sweep: a --repeat run, every point with its interval")
    ap.add_argument("--screenshot", required=True)
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    ap.add_argument("--chromedriver", default=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    a = ap.parse_args()
    page_url = "file://" + os.path.abspath(a.html)
    os.makedirs(os.path.dirname(os.path.abspath(a.screenshot)), exist_ok=True)
    profile = tempfile.mkdtemp(prefix="netbench-chromium-")
    driver = Driver(a.chromedriver, a.chromium, profile, a.screenshot + ".chromedriver.log")
    try:
        # the browser's own start page makes requests of its own: load a blank page, drop what was logged so far,
        # and count from the report's navigation on
        driver.s("POST", "/url", {"url": "about:blank"})
        driver.logs("performance")
        driver.logs("browser")
        driver.s("POST", "/url", {"url": page_url})
        facts = driver.js(FACTS_JS)
        print("page %r: %d charts, %d heatmaps" % (facts["title"], len(facts["charts"]), len(facts["heatmaps"])))
        check_common(facts, page_url, driver)
        if a.kind == "sweep":
            sizes = sorted(int(s) for s in a.sizes.split(","))
            if a.result:
                with open(a.result) as f:
                    measured = sorted({r["msg_size"] for r in json.load(f)["results"]})
                check(measured == sizes, "the run measured the swept sizes: %s" % measured)
            check_sweep(facts, sizes)
            if a.whiskers:
                check_whiskers(facts)
        else:
            with open(a.table) as f:
                table = json.load(f)
            (check_matrix if a.kind == "matrix" else check_compare)(facts, table)
        driver.s("POST", "/window/rect", {"width": 1280, "height": min(int(facts["height"]) + 40, 16000)})
        driver.screenshot(a.screenshot)
        print("screenshot: " + a.screenshot)
        stem = a.screenshot[:-4] if a.screenshot.endswith(".png") else a.screenshot
        for el in driver.s("POST", "/elements", {"using": "css selector", "value": "figure.chart-figure, table.heatmap"}):
            eid = list(el.values())[0]
            name = driver.s("GET", "/element/%s/attribute/id" % eid)
            driver.screenshot("%s-%s.png" % (stem, name), eid)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        sys.exit(1)
    print("all checks passed")


if __name__ == "__main__":
    main()
