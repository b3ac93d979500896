#!/usr/bin/env python3
"""Helpers for scripts/bench-lists (Python 3; `adblock` = Brave's adblock-rust binding).

Subcommands:
  generate --seed N --count N --out FILE LIST...   (listsgen.py)
        Writes a deterministic request set as JSON lines {"url","sourceUrl","type"}: first-party
        assets on popular sites, public CDNs, and tracker hosts and paths taken from the lists.
  adblock --requests FILE --decisions OUT LIST...
        Runs adblock-rust: load time, RSS after load, per-request match time (perf_counter_ns,
        less the cost of an empty call with the same arguments), decisions "1|0 TAB filter".
  report --requests FILE --swift JSON --swift-decisions FILE --adblock JSON --adblock-decisions FILE
        The side-by-side table, agreement, and disagreements by explanation category.
"""

import argparse
import json
import os
import statistics
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ left in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from listsgen import generate  # noqa: E402

# --------------------------------------------------------------------------------------------
# adblock-rust


def rss_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def load_engine(paths, debug):
    import adblock

    filter_set = adblock.FilterSet(debug=debug)
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            filter_set.add_filter_list(handle.read())
    return adblock.Engine(filter_set=filter_set, optimize=True)


def run_adblock(args):
    import adblock  # noqa: F401  (imported before the baseline RSS, as Swift's runtime is)

    with open(args.requests, encoding="utf-8") as handle:
        requests = [json.loads(line) for line in handle]
    requests = [(r["url"], r["sourceUrl"], r["type"]) for r in requests]
    rss_before = rss_kib()
    start = time.perf_counter_ns()
    engine = load_engine(args.lists, debug=False)
    load_ns = time.perf_counter_ns() - start
    rss_after = rss_kib()

    def empty(url, source, kind):
        return None

    clock = time.perf_counter_ns
    overhead = []
    for url, source, kind in requests[:20000]:
        t0 = clock()
        empty(url, source, kind)
        overhead.append(clock() - t0)
    call_overhead = statistics.median(overhead)

    check = engine.check_network_urls
    for url, source, kind in requests:  # warm-up
        check(url, source, kind)
    times, verdicts = [], []
    for url, source, kind in requests:
        t0 = clock()
        result = check(url, source, kind)
        times.append(clock() - t0 - call_overhead)
        verdicts.append(result.matched)
    times.sort()

    # A debug engine (it keeps filter texts) names the deciding rules for the report.
    named = load_engine(args.lists, debug=True)
    with open(args.decisions, "w", encoding="utf-8") as out:
        for (url, source, kind), blocked in zip(requests, verdicts):
            result = named.check_network_urls(url, source, kind)
            rule = result.exception if (result.exception and not result.matched) else result.filter
            out.write("%d\t%s\n" % (1 if blocked else 0, rule or ""))
    print(json.dumps({
        "load_ms": load_ns / 1e6, "rss_before_kib": rss_before, "rss_after_load_kib": rss_after,
        "call_overhead_ns": call_overhead, "median_ns": times[len(times) // 2],
        "p99_ns": times[min(len(times) - 1, int(len(times) * 0.99))],
        "blocked": sum(verdicts), "requests": len(requests),
    }))


# --------------------------------------------------------------------------------------------
# Report


def read_decisions(path):
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            rows.append((parts[0] == "1", parts[-1] if len(parts) > 1 else ""))
    return rows


def options_of(rule):
    if rule.startswith("/") and "/$" not in rule:
        return set()
    return set(rule.rsplit("$", 1)[1].split(",")) if "$" in rule else set()


def explain(request, ours, theirs):
    """One explanation category for a request the two engines decide differently."""
    (our_blocked, our_rule), (their_blocked, their_rule) = ours, theirs
    rules = [r for r in (our_rule, their_rule) if r]
    if request["type"] == "main_frame":
        return "document requests (page loads)"
    if any(r.lstrip("@").startswith("/") and r.lstrip("@").split("$")[0].endswith("/") for r in rules):
        return "regex rule (ICU vs Rust regex dialect)"
    option_names = set()
    for r in rules:
        option_names |= {o.lstrip("~").split("=")[0] for o in options_of(r)}
    if any(".*" in o for r in rules for o in options_of(r) if o.startswith(("domain=", "from="))):
        return "entity domain= (name.*): Crumbs matches it as uBlock does; adblock-rust 0.6 ignores it"
    if "important" in option_names:
        return "important vs exception precedence"
    if option_names & {"domain", "from", "denyallow"}:
        return "domain= (page host) handling"
    if option_names & {"third-party", "3p", "first-party", "1p"}:
        return "third-party decision (Public Suffix List versions differ)"
    if option_names & {"popup", "csp", "redirect-rule", "removeparam", "rewrite", "generichide"}:
        return "option Crumbs skips on purpose"
    if their_blocked and not our_blocked and our_rule.startswith("@@"):
        return "exception applied by Crumbs only"
    if our_blocked and not their_blocked and their_rule.startswith("@@"):
        return "exception applied by adblock-rust only"
    if option_names & {"script", "image", "xmlhttprequest", "xhr", "subdocument", "ping", "other",
                       "media", "font", "stylesheet", "websocket", "object"}:
        return "resource type mapping"
    return "pattern matching (anchors, wildcards, separators)"


def report(args):
    with open(args.requests, encoding="utf-8") as handle:
        requests = [json.loads(line) for line in handle]
    with open(args.swift) as handle:
        swift = json.load(handle)
    with open(args.adblock) as handle:
        rust = json.load(handle)
    ours = read_decisions(args.swift_decisions)
    theirs = read_decisions(args.adblock_decisions)
    if not (len(requests) == len(ours) == len(theirs)):
        sys.exit("listsbench: decision files do not cover the same requests")
    same = sum(1 for a, b in zip(ours, theirs) if a[0] == b[0])
    agreement = same / len(requests)
    # Apart for requests whose page is known (what the proxy has once it attributed a request)
    # and those without one (top-level page loads, bare requests).
    def agreement_where(has_source):
        pairs = [(a, b) for r, a, b in zip(requests, ours, theirs) if bool(r.get("sourceUrl")) == has_source]
        return (sum(1 for a, b in pairs if a[0] == b[0]) / len(pairs) if pairs else 1.0), len(pairs)
    known, known_count = agreement_where(True)
    unknown, unknown_count = agreement_where(False)
    categories, examples = {}, {}
    for request, a, b in zip(requests, ours, theirs):
        if a[0] == b[0]:
            continue
        category = explain(request, a, b)
        key = (category, "Crumbs blocks" if a[0] else "adblock-rust blocks")
        categories[key] = categories.get(key, 0) + 1
        examples.setdefault(key, []).append((request, a[1], b[1]))

    def mib(kib):
        return "%.1f MiB" % (kib / 1024)

    rows = [
        ("requests (blocked)", "%d (%d, %.1f%%)" % (swift["requests"], swift["blocked"], 100.0 * swift["blocked"] / swift["requests"]),
         "%d (%d, %.1f%%)" % (rust["requests"], rust["blocked"], 100.0 * rust["blocked"] / rust["requests"]), ""),
        ("list load (read+parse+index)", "%.1f ms" % swift["load_ms"], "%.1f ms" % rust["load_ms"], "< 300 ms"),
        ("resident memory after load", mib(swift["rss_after_load_kib"]), mib(rust["rss_after_load_kib"]), "< 40 MiB"),
        ("  of which the lists (RSS growth)", mib(swift["rss_after_load_kib"] - swift["rss_before_kib"]),
         mib(rust["rss_after_load_kib"] - rust["rss_before_kib"]), ""),
        ("match median, URL parse + party + decide", "%.0f ns" % swift["full_median_ns"], "%.0f ns" % rust["median_ns"], "<= adblock-rust"),
        ("match p99, URL parse + party + decide", "%.0f ns" % swift["full_p99_ns"], "%.0f ns" % rust["p99_ns"], ""),
        ("match median / p99, decide only", "%.0f / %.0f ns" % (swift["decide_median_ns"], swift["decide_p99_ns"]), "n/a", ""),
        ("match median / p99, verdict only", "%.0f / %.0f ns" % (swift["verdict_median_ns"], swift["verdict_p99_ns"]), "n/a", ""),
        ("Public Suffix List lookups", "%.2f M/s" % (swift["psl_lookups_per_s"] / 1e6), "(inside each match)", ""),
        ("agreement on block decision", "%.3f%%" % (100 * agreement), "", ">= 99.5%"),
        ("  where the page is known (%d)" % known_count, "%.3f%%" % (100 * known), "", ">= 99.5%"),
        ("  without a page (%d)" % unknown_count, "%.3f%%" % (100 * unknown), "", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print("| %-*s | %-22s | %-22s | %-16s |" % (width, "measure", "Crumbs (Swift)", "adblock-rust (Python)", "target"))
    print("|%s|%s|%s|%s|" % ("-" * (width + 2), "-" * 24, "-" * 24, "-" * 18))
    for name, a, b, target in rows:
        print("| %-*s | %-22s | %-22s | %-16s |" % (width, name, a, b, target))
    print()
    engine = swift.get("engine", {})
    print("Crumbs engine: %d rules (%d by host, %d by token, %d fallback, %d cancelled by badfilter, largest token bucket %d)"
          % (engine.get("rules", 0), engine.get("host_rules", 0), engine.get("token_rules", 0),
             engine.get("fallback_rules", 0), engine.get("cancelled_by_badfilter", 0), engine.get("largest_token_bucket", 0)))
    print("adblock-rust timing subtracts %.0f ns of Python call overhead; Crumbs subtracts %d ns of clock overhead."
          % (rust["call_overhead_ns"], swift["clock_overhead_ns"]))
    print()
    print("Disagreements: %d of %d requests" % (len(requests) - same, len(requests)))
    for key, count in sorted(categories.items(), key=lambda item: -item[1]):
        print("  %6d  %s: %s" % (count, key[1], key[0]))
        for request, our_rule, their_rule in examples[key][: args.examples]:
            print("          %s %s (page %s)" % (request["type"], request["url"][:110], request["sourceUrl"][:60]))
            print("            Crumbs: %s" % (our_rule or "-"))
            print("            adblock-rust: %s" % (their_rule or "-"))
    targets_met = agreement >= 0.995 and known >= 0.995 and swift["load_ms"] < 300 and swift["rss_after_load_kib"] < 40 * 1024 \
        and swift["full_median_ns"] <= rust["median_ns"]
    print()
    print("targets: %s" % ("all met" if targets_met else "NOT all met"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("generate")
    command.add_argument("--seed", type=int, default=20251124)
    command.add_argument("--count", type=int, default=120000)
    command.add_argument("--out", required=True)
    command.add_argument("lists", nargs="+")
    command = commands.add_parser("adblock")
    command.add_argument("--requests", required=True)
    command.add_argument("--decisions", required=True)
    command.add_argument("lists", nargs="+")
    command = commands.add_parser("report")
    for name in ("--requests", "--swift", "--swift-decisions", "--adblock", "--adblock-decisions"):
        command.add_argument(name, required=True)
    command.add_argument("--examples", type=int, default=2)
    args = parser.parse_args()
    {"generate": generate, "adblock": run_adblock, "report": report}[args.command](args)


if __name__ == "__main__":
    main()
