#!/usr/bin/env python3
"""Times crumbs report commands with /usr/bin/time -v and prints a Markdown table.

    reportsbench.py --crumbs BIN --data-dir DIR --out-dir DIR --since ISO --until ISO --day YYYY-MM-DD
                    [--runs 3] [--json results.json]

Each command runs --runs times; the table shows the median wall time and the largest peak RSS
(maximum resident set size as /usr/bin/time reports it, which includes the binary's own pages).
Limits from issue 5: one day's digest <= 1 s, a 30-day graph export <= 3 s per format, peak memory
<= 200 MiB. Exits 0 even when a limit is missed: the table says so.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

GRAPH_FORMATS = ["graphml", "gexf", "dot", "json", "csv", "svg", "html"]


def timed(command):
    """Wall seconds, CPU seconds (user + system), peak RSS in KiB, exit status, stderr tail."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        run = subprocess.run(
            ["/usr/bin/time", "-v", "-o", report.name] + command,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        text = report.read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", text)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    cpu = sum(float(m) for m in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", text))
    seconds = None
    if wall:
        hours, minutes, secs = wall.groups()
        seconds = int(hours or 0) * 3600 + int(minutes) * 60 + float(secs)
    return seconds, cpu, int(rss.group(1)) if rss else None, run.returncode, run.stderr.strip()[-300:]


def measure(name, command, runs, limit, outputs):
    walls, cpus, peaks, failure = [], [], [], None
    for _ in range(runs):
        wall, cpu, peak, status, error = timed(command)
        if status != 0:
            failure = f"exit {status}: {error}"
            break
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
    size = sum(os.path.getsize(p) for p in outputs if os.path.exists(p))
    return {
        "name": name, "command": " ".join(command), "runs": len(walls), "failure": failure,
        "wall_median": statistics.median(walls) if walls else None, "wall_min": min(walls) if walls else None,
        "cpu_median": statistics.median(cpus) if cpus else None,
        "peak_rss_kib": max(peaks) if peaks else None, "limit_seconds": limit, "output_bytes": size,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crumbs", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--since", required=True)
    parser.add_argument("--until", required=True)
    parser.add_argument("--day", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json")
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    base = [args.crumbs]
    data = ["--data-dir", args.data_dir]
    results = []

    has_digest = subprocess.run(base + ["digest", "--help"], capture_output=True).returncode == 0
    if has_digest:
        out = os.path.join(args.out_dir, "digest.md")
        results.append(measure(f"digest --day {args.day} (markdown)",
                               base + ["digest"] + data + ["--day", args.day, "--format", "markdown", "--out", out],
                               args.runs, 1.0, [out]))
        out = os.path.join(args.out_dir, "digest.html")
        results.append(measure(f"digest --day {args.day} (html)",
                               base + ["digest"] + data + ["--day", args.day, "--format", "html", "--out", out],
                               args.runs, 1.0, [out]))
    else:
        results.append({"name": "digest", "failure": "this crumbs has no digest command yet", "runs": 0})

    for fmt in GRAPH_FORMATS:
        out = os.path.join(args.out_dir, f"graph.{fmt}")
        outputs = [out] if fmt != "csv" else [out[:-4] + "-nodes.csv", out[:-4] + "-edges.csv"]
        results.append(measure(f"graph 30 days --format {fmt}",
                               base + ["graph"] + data + ["--since", args.since, "--until", args.until,
                                                          "--format", fmt, "--out", out],
                               args.runs, 3.0, outputs))
    out = os.path.join(args.out_dir, "graph-company.html")
    results.append(measure("graph 30 days --by company --format html",
                           base + ["graph"] + data + ["--since", args.since, "--until", args.until, "--by", "company",
                                                      "--format", "html", "--out", out], args.runs, 3.0, [out]))

    load = os.getloadavg()[0]
    print(f"Load average when the table was printed: {load:.1f} on {os.cpu_count()} CPUs (wall times grow with it; "
          "CPU time much less).\n")
    print("| command | runs | wall (median) | wall (best) | CPU (median) | peak RSS | output | limit |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        if r.get("failure"):
            print(f"| {r['name']} | {r['runs']} | — | — | — | — | — | {r['failure']} |")
            continue
        rss = r["peak_rss_kib"] / 1024
        ok = r["wall_median"] <= r["limit_seconds"] and rss <= 200
        verdict = f"≤ {r['limit_seconds']:g} s, ≤ 200 MiB: {'ok' if ok else 'MISSED'}"
        print(f"| {r['name']} | {r['runs']} | {r['wall_median']:.2f} s | {r['wall_min']:.2f} s "
              f"| {r['cpu_median']:.2f} s | {rss:.0f} MiB "
              f"| {r['output_bytes'] / 1e6:.1f} MB | {verdict} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    sys.exit(main())
