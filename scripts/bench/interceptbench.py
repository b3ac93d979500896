#!/usr/bin/env python3
"""Helpers for scripts/bench-intercept (Python 3 standard library only; shares proxybench.py's).

Subcommands:
  addresses N              N loopback addresses for the new-host cell, one a line: 127.0.0.2 on
                           (127.0.0.1 is left to the other cells), never .0 or .255 last octets
  keepalive ...            Keep-alive load through an intercepting proxy: N persistent
                           connections (CONNECT + TLS, verified against --ca), each sending GET
                           after GET for D seconds: "requests seconds rps p50_ms p99_ms errors
                           generator_cpu_percent"
  report RESULTS.tsv TARGETS.tsv [--cabench FILE.json]
                           Markdown: per-cell tables and Crumbs vs mitmproxy side by side
"""

import argparse
import concurrent.futures
import json
import os
import socket
import ssl
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from proxybench import _client_context, _percentile, _recv_head, _split_hostport  # noqa: E402

# --------------------------------------------------------------------------------------------
# Addresses


def loopback_addresses(count):
    out, n = [], 2
    while len(out) < count:
        b, c, d = (n >> 16) & 255, (n >> 8) & 255, n & 255
        if n >= 1 << 24:
            raise ValueError("more addresses than 127.0.0.0/8 holds")
        if d not in (0, 255):
            out.append(f"127.{b}.{c}.{d}")
        n += 1
    return out


def cmd_addresses(args):
    try:
        print("\n".join(loopback_addresses(args.count)))
    except ValueError as e:
        print(e, file=sys.stderr)
        return 1
    return 0


# --------------------------------------------------------------------------------------------
# Keep-alive load


def _open_tunnel(proxy, target, ctx):
    """New connection + CONNECT (when proxied) + verified TLS handshake; returns the TLS socket."""
    sock = socket.create_connection(proxy or target, timeout=30)
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        hostport = f"{target[0]}:{target[1]}"
        if proxy:
            sock.sendall(f"CONNECT {hostport} HTTP/1.1\r\nHost: {hostport}\r\n\r\n".encode())
            head, rest = _recv_head(sock)
            if head.split(None, 2)[1:2] != [b"200"]:
                raise IOError("CONNECT answered " + head.split(b"\r\n", 1)[0].decode("latin-1"))
            if rest:
                raise IOError("bytes after the CONNECT response, before TLS")
        return ctx.wrap_socket(sock, server_hostname=target[0])
    except BaseException:
        sock.close()
        raise


def _get(sock, request, expect_bytes):
    """One keep-alive GET on an open TLS connection; checks status, length and keep-alive."""
    sock.sendall(request)
    head, body = _recv_head(sock)
    lines = head.split(b"\r\n")
    if lines[0].split(None, 2)[1:2] != [b"200"]:
        raise IOError("GET answered " + lines[0].decode("latin-1"))
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value.strip())
        elif name == b"connection" and value.strip().lower() == b"close":
            raise IOError("the proxy closes the connection after each response (Connection: close)")
    if length is None:
        raise IOError("no Content-Length in the response")
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise IOError(f"body cut at {len(body)} of {length} bytes")
        body += chunk
    if len(body) != length or (expect_bytes is not None and length != expect_bytes):
        raise IOError(f"body of {len(body)} bytes (Content-Length {length}, expected {expect_bytes})")


def _keepalive_worker(argv):
    """One generator process: `connections` threads, each on its own persistent TLS connection."""
    proxy, target, path, connections, start_at, seconds, expect_bytes, ca_file = argv
    ctx = _client_context(ca_file)
    request = f"GET {path} HTTP/1.1\r\nHost: {target[0]}:{target[1]}\r\n\r\n".encode()
    latencies, errors, reconnects, lock = [], {}, [0], threading.Lock()
    window = {}

    def open_window():  # run once, by the last thread to reach the barrier
        window["t0"] = time.perf_counter()
        window["deadline"] = window["t0"] + seconds

    ready = threading.Barrier(connections + 1, action=open_window)

    def note(e):
        key = f"{type(e).__name__}: {e}"[:160]
        with lock:
            errors[key] = errors.get(key, 0) + 1

    def loop():
        mine, sock = [], None
        try:
            sock = _open_tunnel(proxy, target, ctx)
        except (OSError, ValueError) as e:
            note(e)
        ready.wait()
        deadline = window["deadline"]
        while time.perf_counter() < deadline:
            try:
                if sock is None:
                    sock = _open_tunnel(proxy, target, ctx)
                    with lock:
                        reconnects[0] += 1
                start = time.perf_counter()
                _get(sock, request, expect_bytes)
                mine.append(time.perf_counter() - start)
            except (OSError, ValueError, IndexError) as e:
                note(e)
                if sock is not None:
                    sock.close()
                sock = None
                time.sleep(0.01)
        if sock is not None:
            sock.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=loop) for _ in range(connections)]
    for t in threads:
        t.start()
    # Every connection is open (handshakes are not counted); all processes start together.
    time.sleep(max(0.0, start_at - time.time()))
    ready.wait()
    cpu0 = os.times()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - window["t0"]
    cpu1 = os.times()
    cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    return latencies, errors, elapsed, cpu, reconnects[0]


def cmd_keepalive(args):
    proxy = _split_hostport(args.proxy) if args.proxy else None
    target = _split_hostport(args.target)
    procs = max(1, min(args.procs, args.connections))
    per_proc = [args.connections // procs + (1 if i < args.connections % procs else 0) for i in range(procs)]
    start_at = time.time() + args.setup_seconds
    jobs = [
        (proxy, target, args.path, n, start_at, args.seconds, args.expect_bytes, args.ca) for n in per_proc if n > 0
    ]
    with concurrent.futures.ProcessPoolExecutor(max_workers=len(jobs)) as pool:
        results = list(pool.map(_keepalive_worker, jobs))
    latencies = sorted(x for r in results for x in r[0])
    errors = {}
    for r in results:
        for k, v in r[1].items():
            errors[k] = errors.get(k, 0) + v
    elapsed = max(r[2] for r in results) or args.seconds
    cpu = sum(r[3] for r in results)
    reconnects = sum(r[4] for r in results)
    n = len(latencies)
    print(
        "%d %.3f %.1f %.3f %.3f %d %.0f"
        % (
            n,
            elapsed,
            n / elapsed,
            _percentile(latencies, 50) * 1000,
            _percentile(latencies, 99) * 1000,
            sum(errors.values()),
            100.0 * cpu / elapsed,
        )
    )
    if reconnects:
        print(f"  keepalive: {reconnects} reconnection(s) after errors", file=sys.stderr)
    for k, v in sorted(errors.items(), key=lambda kv: -kv[1])[:5]:
        print(f"  keepalive error x{v}: {k}", file=sys.stderr)
    return 0 if n > 0 else 1


# --------------------------------------------------------------------------------------------
# Report

CELLS = ["keep-alive", "handshake", "new hosts", "repeat hosts"]


def _med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _fmt(value, digits=0):
    return "–" if value is None else f"{value:,.{digits}f}"


def _ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def _read_tsv(path):
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f if line.strip()]


def _num(row, key):
    v = row.get(key, "")
    return None if v in ("", "-", "?", "nan") else float(v)


def cmd_report(args):
    rows = _read_tsv(args.results)
    targets = {t["target"]: t for t in _read_tsv(args.targets)}
    cabench = None
    if args.cabench:
        try:
            with open(args.cabench) as f:
                cabench = json.load(f)
        except (OSError, ValueError) as e:
            print(f"(CABench figures unreadable: {e})", file=sys.stderr)
    rounds = sorted({int(r["round"]) for r in rows})
    order = [t for t in ("crumbs", "mitmproxy", "direct") if any(r["target"] == t for r in rows)]

    # m[cell][target]: medians over rounds of rate, p50, p99, CPU ms per unit, generator CPU %.
    m = {}
    for cell in CELLS:
        m[cell] = {}
        for target in order:
            rs = sorted((r for r in rows if r["cell"] == cell and r["target"] == target), key=lambda r: int(r["round"]))
            if not rs:
                continue
            per_unit, conns = [], []
            for r in rs:
                cpu, n, c = _num(r, "cpu_s"), _num(r, "count"), _num(r, "origin_conns")
                per_unit.append(cpu * 1000 / n if cpu is not None and n else None)
                conns.append(c / n if c is not None and n else None)
            m[cell][target] = dict(
                rate=_med([_num(r, "rate") for r in rs]),
                rounds=[_num(r, "rate") for r in rs],
                p50=_med([_num(r, "p50_ms") for r in rs]),
                p99=_med([_num(r, "p99_ms") for r in rs]),
                cpu_ms=_med(per_unit),
                gen=_med([_num(r, "gen_cpu_pct") for r in rs]),
                conns=_med(conns),
                errors=sum(int(_num(r, "errors") or 0) for r in rs),
                count=sum(int(_num(r, "count") or 0) for r in rs),
            )

    out = []
    w = out.append
    w(f"### Per cell ({len(rounds)} round(s): rate of each round, then medians)")
    w("")
    w(
        "| cell | target | per round | median /s | p50 ms | p99 ms | proxy CPU ms per unit "
        "| origin conns per unit | generator CPU % | errors |"
    )
    w("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    units = {"keep-alive": "request", "handshake": "tunnel", "new hosts": "tunnel", "repeat hosts": "tunnel"}
    for cell in CELLS:
        for target in order:
            c = m[cell].get(target)
            if c:
                w(
                    f"| {cell} | {target} | {' / '.join(_fmt(v) for v in c['rounds'])} | {_fmt(c['rate'])} "
                    f"| {_fmt(c['p50'], 2)} | {_fmt(c['p99'], 2)} | {_fmt(c['cpu_ms'], 3)} per {units[cell]} "
                    f"| {_fmt(c['conns'], 3)} | {_fmt(c['gen'])} | {c['errors']} |"
                )
    w("")

    def get(cell, target, key):
        return m.get(cell, {}).get(target, {}).get(key)

    def paired(target, key, per_round):
        """Median over rounds of per_round(new-host row, repeat-host row): the two cells of a round
        run back to back on the same proxy process, so their difference is less noisy than a
        difference of medians."""
        diffs = []
        for rnd in rounds:
            pick = {
                r["cell"]: r
                for r in rows
                if r["target"] == target and int(r["round"]) == rnd and r["cell"] in ("new hosts", "repeat hosts")
            }
            if len(pick) == 2:
                diffs.append(per_round(pick["new hosts"], pick["repeat hosts"]))
        return _med(diffs)

    def per_conn_ms(target):
        """Extra machine time per new-host connection: 1/rate(new) - 1/rate(repeat), in ms."""

        def one(new, rep):
            a, b = _num(new, "rate"), _num(rep, "rate")
            return None if not a or not b else (1 / a - 1 / b) * 1000

        return paired(target, "rate", one)

    def cpu_diff(target):
        def one(new, rep):
            cn, nn, cr, nr = _num(new, "cpu_s"), _num(new, "count"), _num(rep, "cpu_s"), _num(rep, "count")
            return None if None in (cn, cr) or not nn or not nr else (cn / nn - cr / nr) * 1000

        return paired(target, "cpu_s", one)

    def mib(target, key):
        v = _num(targets.get(target, {}), key)
        return v / 1024 if v else None

    checks = []
    table = []

    def line(label, crumbs, mitm, digits=0, target_text="", higher_better=True, check=None, show_ratio=True):
        ratio = _ratio(crumbs, mitm) if higher_better else _ratio(mitm, crumbs)
        ratio = ratio if show_ratio else None
        verdict = ""
        if check is not None:
            ok = check(crumbs, ratio)
            checks.append(ok)
            verdict = "PASS" if ok else "FAIL"
        rtext = "–" if ratio is None else f"{ratio:,.2f}x"
        table.append(f"| {label} | {_fmt(crumbs, digits)} | {_fmt(mitm, digits)} | {rtext} | {target_text} | {verdict} |")

    at_least_10x = lambda _v, r: r is not None and r >= 10  # noqa: E731
    c, x = "crumbs", "mitmproxy"
    line("keep-alive req/s (16 conns, GET /1k)", get("keep-alive", c, "rate"), get("keep-alive", x, "rate"),
         target_text="≥ 10x", check=at_least_10x)
    line("keep-alive p50 ms", get("keep-alive", c, "p50"), get("keep-alive", x, "p50"), 2, higher_better=False)
    line("keep-alive p99 ms", get("keep-alive", c, "p99"), get("keep-alive", x, "p99"), 2, higher_better=False)
    line("CPU ms per 1,000 keep-alive requests",
         None if get("keep-alive", c, "cpu_ms") is None else get("keep-alive", c, "cpu_ms") * 1000,
         None if get("keep-alive", x, "cpu_ms") is None else get("keep-alive", x, "cpu_ms") * 1000,
         0, higher_better=False)
    line("new-connection handshakes/s (32 in flight)", get("handshake", c, "rate"), get("handshake", x, "rate"),
         target_text="≥ 10x", check=at_least_10x)
    line("handshake p50 ms", get("handshake", c, "p50"), get("handshake", x, "p50"), 2, higher_better=False)
    line("handshake p99 ms", get("handshake", c, "p99"), get("handshake", x, "p99"), 2, higher_better=False)
    line("CPU ms per handshake", get("handshake", c, "cpu_ms"), get("handshake", x, "cpu_ms"), 3,
         higher_better=False)

    def per_cpu_second(cell, target, scale=1):
        ms = get(cell, target, "cpu_ms")
        return 1000 / ms * scale if ms else None

    line("proxy capacity: handshakes per CPU-second (1000 / CPU ms)", per_cpu_second("handshake", c),
         per_cpu_second("handshake", x))
    line("proxy capacity: keep-alive requests per CPU-second", per_cpu_second("keep-alive", c),
         per_cpu_second("keep-alive", x))
    line("origin TLS connections per client tunnel (handshake cell)", get("handshake", c, "conns"),
         get("handshake", x, "conns"), 3, show_ratio=False)
    line("handshakes/s, every host new (leaf minted)", get("new hosts", c, "rate"), get("new hosts", x, "rate"))
    line("handshakes/s, repeat hosts (leaf cached)", get("repeat hosts", c, "rate"), get("repeat hosts", x, "rate"))
    line("extra ms of machine time per new host (1/rate difference, paired by round)", per_conn_ms(c), per_conn_ms(x), 3,
         show_ratio=False, target_text="≤ 2 ms", check=lambda v, _r: v is not None and v <= 2)
    line("extra proxy CPU ms per new host (paired by round)", cpu_diff(c), cpu_diff(x), 3, show_ratio=False)
    if cabench:
        shared, per_host = cabench.get("shared", {}), cabench.get("per_host", {})
        line(f"CABench: ms per new host, shared key (the default; {cabench.get('hosts')} hosts)",
             shared.get("new_ms_mean"), None, 3, target_text="≤ 2 ms",
             check=lambda v, _r: v is not None and v <= 2)
        line("CABench: p99 ms per new host, shared key", shared.get("new_ms_p99"), None, 3)
        line("CABench: ms per new host, key per host", per_host.get("new_ms_mean"), None, 3)
        line("CABench: ms per cached host", shared.get("cached_ms_mean"), None, 4)
    line("idle RSS MiB", mib(c, "idle_rss_kib"), mib(x, "idle_rss_kib"), 1, higher_better=False)
    line("peak RSS MiB", mib(c, "peak_hwm_kib"), mib(x, "peak_hwm_kib"), 1, higher_better=False)

    w(f"### Crumbs --intercept vs mitmproxy (medians of {len(rounds)} round(s))")
    w("")
    w("| measure | Crumbs | mitmproxy | ratio (Crumbs better by) | target | |")
    w("|---|---:|---:|---:|---|---|")
    out.extend(table)
    w("")
    for label, cell in (("keep-alive", "keep-alive"), ("handshake", "handshake")):
        ceiling = get(cell, "direct", "rate")
        if ceiling:
            w(
                f"- {label} 'direct' (the same generator straight to nginx, no proxy): {_fmt(ceiling)}/s, "
                f"generator CPU {_fmt(get(cell, 'direct', 'gen'))}% of {100 * args.procs}%. A proxy near "
                "this is limited by the load generator, and its ratio is a lower bound."
            )
    w(
        "- origin conns per unit: TLS connections nginx accepted per request or tunnel (stub_status); "
        "below 1 per tunnel means the proxy reuses its upstream connections across client tunnels."
    )
    w(
        "- proxy capacity: what one core would sustain on the proxy's own CPU cost alone, free of the "
        "load generator and nginx sharing the machine's cores (the rates above are not)."
    )
    w("- ratio: Crumbs' rate / mitmproxy's, or mitmproxy's cost / Crumbs' for times, CPU and memory.")
    w(
        "- extra ms per new host: (1 / new-host rate - 1 / repeat-host rate), i.e. how much machine time "
        "(both cores, all processes) each new host costs; an upper bound for minting inside the proxy. "
        "It also holds whatever else a new host costs: a proxy that pools origin connections per host "
        "(see origin conns per unit in the new and repeat host cells) opens a new one for a new host. "
        "mitmproxy's difference is small beside its cost per tunnel "
        f"({_fmt(get('handshake', x, 'cpu_ms'), 1)} ms of CPU) and within its run-to-run noise."
    )
    w("")
    w(f"**{sum(checks)} of {len(checks)} targets met.**")
    print("\n".join(out))
    return 0


# --------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("addresses")
    p.add_argument("count", type=int)
    p.set_defaults(func=cmd_addresses)
    p = sub.add_parser("keepalive")
    p.add_argument("--proxy", help="host:port of the proxy; without it, TLS straight to --target")
    p.add_argument("--target", required=True, help="host:port of the TLS origin")
    p.add_argument("--ca", required=True, help="PEM bundle the server's chain and host name are verified against")
    p.add_argument("--path", default="/1k")
    p.add_argument("--expect-bytes", type=int)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--procs", type=int, default=2)
    p.add_argument("--setup-seconds", type=float, default=2, help="time allowed to open the connections")
    p.set_defaults(func=cmd_keepalive)
    p = sub.add_parser("report")
    p.add_argument("results")
    p.add_argument("targets")
    p.add_argument("--cabench", help="CABench's JSON output")
    p.add_argument("--procs", type=int, default=2, help="generator processes (for the ceiling note)")
    p.set_defaults(func=cmd_report)
    args = parser.parse_args()
    sys.exit(args.func(args))


if __name__ == "__main__":
    main()
