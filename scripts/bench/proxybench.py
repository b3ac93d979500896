#!/usr/bin/env python3
"""Helpers for scripts/bench-proxy (Python 3 standard library only).

Subcommands:
  tree-stat PID            CPU seconds (utime+stime), VmRSS and VmHWM (KiB) summed over PID
                           and all its descendants, and the number of processes:
                           "cpu_s rss_kib hwm_kib nprocs"
  wrk-parse FILE           Parses `wrk --latency` output: "requests seconds rps p50_ms p99_ms errors"
                           (errors = socket errors + non-2xx/3xx responses)
  probe ...                One absolute-form GET through a proxy (or a CONNECT tunnel with --tls);
                           exits non-zero with a message unless a 200 with the expected body size
  connect ...              The CONNECT tunnel load generator: keeps N tunnels in flight for D
                           seconds, each a new connection + CONNECT + TLS handshake + one GET.
                           --ca verifies the server (an intercepting proxy's leaf); --hosts and
                           --count send tunnel i to host i of a list and stop after --count
                           tunnels (scripts/bench-intercept's new-host cell)
  count-events DB          Rows in Crumbs' `event` table
  report RESULTS.tsv TARGETS.tsv
                           Markdown tables (per cell, summary, target checks)
"""

import argparse
import concurrent.futures
import os
import re
import socket
import ssl
import statistics
import sys
import time

# --------------------------------------------------------------------------------------------
# /proc


def _children_map():
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                data = f.read().decode("ascii", "replace")
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces: split after the last ')'.
        rest = data[data.rfind(")") + 2 :].split()
        ppid = int(rest[1])
        children.setdefault(ppid, []).append(int(entry))
    return children


def process_tree(pid):
    children = _children_map()
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(children.get(p, []))
    return tree


def tree_stat(pid):
    ticks = os.sysconf("SC_CLK_TCK")
    cpu, rss, hwm, n = 0.0, 0, 0, 0
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/stat", "rb") as f:
                data = f.read().decode("ascii", "replace")
            rest = data[data.rfind(")") + 2 :].split()
            # Fields 14 and 15 of stat (utime, stime) are rest[11] and rest[12].
            cpu += (int(rest[11]) + int(rest[12])) / ticks
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1])
                    elif line.startswith("VmHWM:"):
                        hwm += int(line.split()[1])
            n += 1
        except (OSError, IndexError, ValueError):
            continue  # exited meanwhile
    return cpu, rss, hwm, n


def cmd_tree_stat(args):
    if not os.path.exists(f"/proc/{args.pid}"):
        print(f"process {args.pid} is gone", file=sys.stderr)
        return 1
    cpu, rss, hwm, n = tree_stat(args.pid)
    print(f"{cpu:.2f} {rss} {hwm} {n}")
    return 0


# --------------------------------------------------------------------------------------------
# wrk

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def _ms(text):
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m|h)", text.strip())
    if not m:
        raise ValueError(f"cannot read the time {text!r}")
    return float(m.group(1)) * _UNITS[m.group(2)]


def parse_wrk(text):
    m = re.search(r"^\s*(\d+) requests in ([0-9.]+)(us|ms|s|m|h),", text, re.M)
    if not m:
        raise ValueError("no 'N requests in T' line in the wrk output")
    requests = int(m.group(1))
    seconds = _ms(m.group(2) + m.group(3)) / 1000.0
    m = re.search(r"^Requests/sec:\s*([0-9.]+)", text, re.M)
    rps = float(m.group(1)) if m else requests / seconds
    p50 = re.search(r"^\s*50%\s+(\S+)", text, re.M)
    p99 = re.search(r"^\s*99%\s+(\S+)", text, re.M)
    if not (p50 and p99):
        raise ValueError("no 50%/99% lines in the wrk output (was --latency given?)")
    errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        errors += sum(int(x) for x in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        errors += int(m.group(1))
    return requests, seconds, rps, _ms(p50.group(1)), _ms(p99.group(1)), errors


def cmd_wrk_parse(args):
    with open(args.file) as f:
        text = f.read()
    try:
        r = parse_wrk(text)
    except ValueError as e:
        print(f"wrk output {args.file}: {e}\n{text}", file=sys.stderr)
        return 1
    print("%d %.3f %.1f %.3f %.3f %d" % r)
    return 0


# --------------------------------------------------------------------------------------------
# HTTP over raw sockets (probe and CONNECT load)


def _split_hostport(text):
    host, _, port = text.rpartition(":")
    return host, int(port)


def _client_context(ca_file=None):
    """Without ca_file no verification (nginx's certificate is a throw-away self-signed one);
    with it, the chain and the host name (IP SAN for IP literals) are checked against it."""
    if ca_file:
        return ssl.create_default_context(cafile=ca_file)
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def _read_response(sock_file):
    """Reads one HTTP/1.1 response with a Content-Length body; returns (status, body)."""
    status_line = sock_file.readline()
    if not status_line:
        raise IOError("connection closed before a response")
    parts = status_line.decode("latin-1").split()
    status = int(parts[1])
    length = None
    while True:
        line = sock_file.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    body = sock_file.read(length) if length is not None else sock_file.read()
    return status, body


def cmd_probe(args):
    try:
        host, port = _split_hostport(args.proxy)
        with socket.create_connection((host, port), timeout=10) as sock:
            if args.tls:
                tls_host, tls_port = _split_hostport(args.tls)
                target = f"{tls_host}:{tls_port}"
                sock.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = sock.recv(1)
                    if not chunk:
                        raise IOError(f"closed during CONNECT (got {head!r})")
                    head += chunk
                if head.split()[1] != b"200":
                    raise IOError(f"CONNECT answered {head.splitlines()[0].decode()!r}")
                sock = _client_context().wrap_socket(sock)
                request = f"GET {args.path} HTTP/1.1\r\nHost: {target}\r\nConnection: close\r\n\r\n"
            else:
                hostport = re.match(r"http://([^/]+)", args.path).group(1)
                request = f"GET {args.path} HTTP/1.1\r\nHost: {hostport}\r\nConnection: close\r\n\r\n"
            sock.sendall(request.encode())
            status, body = _read_response(sock.makefile("rb"))
    except (OSError, ValueError, IndexError, AttributeError) as e:
        print(f"probe via {args.proxy} of {args.path}: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    if status != 200 or (args.expect_bytes is not None and len(body) != args.expect_bytes):
        print(
            f"probe via {args.proxy} of {args.path}: status {status}, {len(body)} bytes "
            f"(expected 200 and {args.expect_bytes}): {body[:300]!r}",
            file=sys.stderr,
        )
        return 1
    return 0


def _recv_head(sock, limit=65536):
    """Reads up to the end of an HTTP head; returns (head, bytes after it)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(16384)
        if not chunk:
            raise IOError(f"connection closed after {len(data)} bytes of the response head")
        data += chunk
        if len(data) > limit:
            raise IOError("response head too long")
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _tunnel_once(proxy, target, path, ctx, expect_bytes):
    """New connection + CONNECT + TLS handshake + one GET; returns the seconds it took.

    Blocking sockets in threads: OpenSSL releases the GIL during handshakes and I/O, and this
    costs the generator less CPU per tunnel than asyncio's TLS streams."""
    start = time.perf_counter()
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
        # The TLS handshake. server_hostname only matters when ctx verifies (an IP literal is
        # matched against IP SANs and sent without SNI).
        sock = ctx.wrap_socket(sock, server_hostname=target[0] if ctx.check_hostname else None)
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {hostport}\r\nConnection: close\r\n\r\n".encode())
        head, body = _recv_head(sock)
        if head.split(None, 2)[1:2] != [b"200"]:
            raise IOError("GET answered " + head.split(b"\r\n", 1)[0].decode("latin-1"))
        m = re.search(rb"\r\ncontent-length:\s*(\d+)", head, re.I)
        if not m:
            raise IOError("no Content-Length in the response")
        length = int(m.group(1))
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                raise IOError(f"body cut at {len(body)} of {length} bytes")
            body += chunk
        if expect_bytes is not None and len(body) != expect_bytes:
            raise IOError(f"body of {len(body)} bytes, expected {expect_bytes}")
        return time.perf_counter() - start
    finally:
        sock.close()


def _connect_worker(argv):
    """One load generator process: `concurrency` threads, each one tunnel after another.

    With `hosts`, the process's tunnels take hosts[i] in turn for the i values it owns (a
    shared counter), and it stops when they are used up (or at the deadline)."""
    proxy, target, path, concurrency, start_at, seconds, expect_bytes, ca_file, hosts = argv
    import threading

    ctx = _client_context(ca_file)
    latencies, errors, lock = [], {}, threading.Lock()
    queue = list(hosts) if hosts is not None else None
    time.sleep(max(0.0, start_at - time.time()))
    t0 = time.perf_counter()
    deadline = t0 + seconds
    last_done = [t0]

    def next_target():
        if queue is None:
            return target
        with lock:
            return (queue.pop(), target[1]) if queue else None

    def loop():
        mine = []
        while time.perf_counter() < deadline:
            this = next_target()
            if this is None:
                break
            try:
                mine.append(_tunnel_once(proxy, this, path, ctx, expect_bytes))
            except (OSError, ValueError, IndexError) as e:
                key = f"{type(e).__name__}: {e}"[:160]
                with lock:
                    errors[key] = errors.get(key, 0) + 1
                time.sleep(0.01)
        with lock:
            latencies.extend(mine)
            last_done[0] = max(last_done[0], time.perf_counter())

    threads = [threading.Thread(target=loop) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    usage = os.times()
    return latencies, errors, last_done[0] - t0, usage.user + usage.system


def _percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, int(round(q / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[index]


def cmd_connect(args):
    proxy = _split_hostport(args.proxy) if args.proxy else None
    target = _split_hostport(args.target)
    procs = max(1, args.procs)
    per_proc = [args.concurrency // procs + (1 if i < args.concurrency % procs else 0) for i in range(procs)]
    host_lists = [None] * procs
    if args.hosts:
        with open(args.hosts) as f:
            names = [line.strip() for line in f if line.strip()]
        if not names:
            print(f"{args.hosts}: no hosts", file=sys.stderr)
            return 1
        count = args.count or len(names)
        # Tunnel i goes to names[i % len]; process p takes every procs-th tunnel. Reversed,
        # because a worker pops from the end.
        host_lists = [[names[i % len(names)] for i in range(p, count, procs)][::-1] for p in range(procs)]
    start_at = time.time() + 0.5
    jobs = [
        (proxy, target, args.path, n, start_at, args.seconds, args.expect_bytes, args.ca, host_lists[i])
        for i, n in enumerate(per_proc)
        if n > 0
    ]
    with concurrent.futures.ProcessPoolExecutor(max_workers=len(jobs)) as pool:
        results = list(pool.map(_connect_worker, jobs))
    latencies = sorted(x for r in results for x in r[0])
    errors = {}
    for r in results:
        for k, v in r[1].items():
            errors[k] = errors.get(k, 0) + v
    elapsed = max(r[2] for r in results) or args.seconds
    cpu = sum(r[3] for r in results)
    n = len(latencies)
    error_count = sum(errors.values())
    # "completed seconds rate p50_ms p99_ms errors generator_cpu_percent"
    print(
        "%d %.3f %.1f %.3f %.3f %d %.0f"
        % (
            n,
            elapsed,
            n / elapsed,
            _percentile(latencies, 50) * 1000,
            _percentile(latencies, 99) * 1000,
            error_count,
            100.0 * cpu / elapsed,
        )
    )
    for k, v in sorted(errors.items(), key=lambda kv: -kv[1])[:5]:
        print(f"  connect error x{v}: {k}", file=sys.stderr)
    return 0 if n > 0 else 1


# --------------------------------------------------------------------------------------------
# Crumbs' store


def cmd_count_events(args):
    import sqlite3

    try:
        db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True, timeout=10)
        print(db.execute("SELECT count(*) FROM event").fetchone()[0])
    except sqlite3.Error as e:
        print(f"{args.db}: {e}", file=sys.stderr)
        print("?")
    return 0


# --------------------------------------------------------------------------------------------
# Report

PROXIES = ["crumbs", "privoxy", "squid"]
RIVALS = ["privoxy", "squid"]


def _med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _fmt(value, digits=0, unit=""):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}{unit}"


def _ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def cmd_report(args):
    rows = []
    with open(args.results) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            if line.strip():
                rows.append(dict(zip(header, line.rstrip("\n").split("\t"))))
    targets = {}
    with open(args.targets) as f:
        theader = f.readline().rstrip("\n").split("\t")
        for line in f:
            if line.strip():
                t = dict(zip(theader, line.rstrip("\n").split("\t")))
                targets[t["target"]] = t

    def num(row, key):
        v = row.get(key, "")
        return None if v in ("", "-", "?", "nan") else float(v)

    order = [t for t in args.order.split()]
    cells = []
    for r in rows:
        if r["cell"] not in cells:
            cells.append(r["cell"])
    rounds = sorted({int(r["round"]) for r in rows})

    # medians[cell][target] = dict(rps, p50, p99, cpu10k, errors, rounds=[rps...])
    medians = {}
    for cell in cells:
        medians[cell] = {}
        for target in order:
            rs = [r for r in rows if r["cell"] == cell and r["target"] == target]
            if not rs:
                continue
            rs.sort(key=lambda r: int(r["round"]))
            cpu10k, conns1k = [], []
            for r in rs:
                cpu, req, conns = num(r, "cpu_s"), num(r, "requests"), num(r, "origin_conns")
                cpu10k.append(cpu / req * 10000 if cpu is not None and req else None)
                conns1k.append(conns / req * 1000 if conns is not None and req else None)
            medians[cell][target] = dict(
                rps=_med([num(r, "rps") for r in rs]),
                p50=_med([num(r, "p50_ms") for r in rs]),
                p99=_med([num(r, "p99_ms") for r in rs]),
                cpu10k=_med(cpu10k),
                conns1k=_med(conns1k),
                errors=sum(int(num(r, "errors") or 0) for r in rs),
                rounds=[num(r, "rps") for r in rs],
                gen_cpu=_med([num(r, "gen_cpu_pct") for r in rs]),
            )

    out = []
    w = out.append
    unit = {True: "tunnels/s", False: "req/s"}
    w(f"### Per cell ({len(rounds)} round(s); req/s of each round in order, then medians of the rounds)")
    w("")
    for cell in cells:
        is_connect = cell.startswith("CONNECT")
        w(f"#### {cell}")
        w("")
        extra = " | generator CPU %" if is_connect else " | new origin conns / 1k req"
        w(
            f"| target | {unit[is_connect]} per round | median {unit[is_connect]} | p50 ms | p99 ms "
            f"| proxy CPU s / 10k | errors{extra} |"
        )
        w("|---|---|---:|---:|---:|---:|---:|---:|")
        for target in order:
            m = medians[cell].get(target)
            if not m:
                continue
            per_round = " / ".join(_fmt(v) for v in m["rounds"])
            line = (
                f"| {target} | {per_round} | {_fmt(m['rps'])} | {_fmt(m['p50'], 2)} | {_fmt(m['p99'], 2)} "
                f"| {_fmt(m['cpu10k'], 2)} | {m['errors']} |"
            )
            line += f" {_fmt(m['gen_cpu'])} |" if is_connect else f" {_fmt(m['conns1k'], 1)} |"
            w(line)
        w("")
        if is_connect and "direct" in medians[cell]:
            w(
                "'direct' is the load generator's own ceiling (TLS straight to nginx); a proxy close "
                "to it is limited by the generator (its CPU % is out of "
                f"{100 * args.connect_procs}), not by the proxy."
            )
            w("")
        elif not is_connect:
            w(
                "New origin conns = connections nginx accepted during the run per 1,000 requests "
                "(nginx stub_status); near 0 means the proxy reuses its upstream connections."
            )
            w("")

    w(f"### Summary (median of {len(rounds)} round(s))")
    w("")
    w("| target | " + " | ".join(f"{c} {'tun/s' if c.startswith('CONNECT') else 'req/s'}" for c in cells)
      + " | idle RSS MiB | peak RSS MiB |")
    w("|---|" + "---:|" * (len(cells) + 2))
    for target in order:
        t = targets.get(target, {})
        idle = num(t, "idle_rss_kib")
        peak = num(t, "peak_hwm_kib")
        w(
            f"| {target} | "
            + " | ".join(_fmt(medians[c].get(target, {}).get("rps")) for c in cells)
            + f" | {_fmt(idle / 1024 if idle else None, 1)} | {_fmt(peak / 1024 if peak else None, 1)} |"
        )
    w("")
    w("| target | " + " | ".join(f"{c} p50 / p99 ms" for c in cells) + " |")
    w("|---|" + "---:|" * len(cells))
    for target in order:
        cols = []
        for c in cells:
            m = medians[c].get(target)
            cols.append(f"{_fmt(m['p50'], 2)} / {_fmt(m['p99'], 2)}" if m else "–")
        w(f"| {target} | " + " | ".join(cols) + " |")
    w("")
    w("| target | " + " | ".join(f"{c} CPU s/10k" for c in cells) + " | requests sent | requests logged |")
    w("|---|" + "---:|" * (len(cells) + 2))
    for target in order:
        t = targets.get(target, {})
        w(
            f"| {target} | "
            + " | ".join(_fmt(medians[c].get(target, {}).get("cpu10k"), 2) for c in cells)
            + f" | {t.get('sent', '–')} | {t.get('logged', '–')} |"
        )
    w("")

    # Targets: Crumbs against the best of privoxy and squid, cell by cell.
    w("### Targets (Crumbs against the best of privoxy and squid in this run)")
    w("")
    results = []
    rivals = [r for r in RIVALS if r in order]
    if "crumbs" not in order or not rivals:
        w("n/a: needs crumbs and at least one of privoxy, squid")
    else:
        def best(cell, key, pick):
            vals = [(medians[cell][r][key], r) for r in rivals if r in medians[cell] and medians[cell][r][key] is not None]
            return pick(vals) if vals else (None, None)

        def check(label, ok, detail):
            results.append(ok)
            w(f"- {'PASS' if ok else 'FAIL'} {label}: {detail}")

        wrk_cells = [c for c in cells if not c.startswith("CONNECT")]
        c64 = [c for c in wrk_cells if c.endswith("c64")]
        for c in c64:
            mine = medians[c].get("crumbs", {}).get("rps")
            theirs, who = best(c, "rps", max)
            r = _ratio(mine, theirs)
            check(
                f"req/s at {c} >= 1.5x",
                r is not None and r >= 1.5,
                f"crumbs {_fmt(mine)} vs {who} {_fmt(theirs)} = {_fmt(r, 2)}x",
            )
        for c in wrk_cells:
            mine = medians[c].get("crumbs", {}).get("cpu10k")
            theirs, who = best(c, "cpu10k", min)
            r = _ratio(mine, theirs)
            check(
                f"CPU per request at {c} <= 0.7x",
                r is not None and r <= 0.7,
                f"crumbs {_fmt(mine, 2)} vs {who} {_fmt(theirs, 2)} s/10k = {_fmt(r, 2)}x",
            )
        for c in wrk_cells:
            mine = medians[c].get("crumbs", {}).get("p99")
            theirs, who = best(c, "p99", min)
            r = _ratio(mine, theirs)
            check(
                f"p99 at {c} no higher",
                r is not None and r <= 1.0,
                f"crumbs {_fmt(mine, 2)} ms vs {who} {_fmt(theirs, 2)} ms = {_fmt(r, 2)}x",
            )
        for c in [c for c in cells if c.startswith("CONNECT")]:
            mine = medians[c].get("crumbs", {}).get("rps")
            theirs, who = best(c, "rps", max)
            r = _ratio(mine, theirs)
            ceiling = medians[c].get("direct", {}).get("rps")
            note = f" (generator ceiling, direct: {_fmt(ceiling)})" if ceiling else ""
            check(
                "CONNECT rate no lower",
                r is not None and r >= 1.0,
                f"crumbs {_fmt(mine)} vs {who} {_fmt(theirs)} tunnels/s = {_fmt(r, 2)}x{note}",
            )
        idle = num(targets.get("crumbs", {}), "idle_rss_kib")
        check(
            "idle RSS <= 30 MiB",
            idle is not None and idle <= 30 * 1024,
            f"crumbs {_fmt(idle / 1024 if idle else None, 1)} MiB",
        )
        w("")
        w(f"**{sum(results)} of {len(results)} targets met.**")
    print("\n".join(out))
    return 0


# --------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("tree-stat")
    p.add_argument("pid", type=int)
    p.set_defaults(func=cmd_tree_stat)
    p = sub.add_parser("wrk-parse")
    p.add_argument("file")
    p.set_defaults(func=cmd_wrk_parse)
    p = sub.add_parser("probe")
    p.add_argument("--proxy", required=True, help="host:port of the proxy")
    p.add_argument("--path", required=True, help="absolute URL, or the path inside the tunnel with --tls")
    p.add_argument("--tls", help="host:port to CONNECT to, then speak TLS")
    p.add_argument("--expect-bytes", type=int)
    p.set_defaults(func=cmd_probe)
    p = sub.add_parser("connect")
    p.add_argument("--proxy", help="host:port of the proxy; without it, TLS straight to --target")
    p.add_argument("--target", required=True, help="host:port of the TLS server")
    p.add_argument("--path", default="/1k")
    p.add_argument("--expect-bytes", type=int)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--concurrency", type=int, default=32)
    p.add_argument("--procs", type=int, default=2)
    p.add_argument("--ca", help="PEM bundle: verify the server's chain and host name against it")
    p.add_argument("--hosts", help="file of hosts, one a line: tunnel i connects to host i (port from --target)")
    p.add_argument("--count", type=int, help="with --hosts: stop after this many tunnels (default: one per host)")
    p.set_defaults(func=cmd_connect)
    p = sub.add_parser("count-events")
    p.add_argument("db")
    p.set_defaults(func=cmd_count_events)
    p = sub.add_parser("report")
    p.add_argument("results")
    p.add_argument("targets")
    p.add_argument("--order", default="crumbs privoxy squid direct")
    p.add_argument("--connect-procs", type=int, default=2)
    p.set_defaults(func=cmd_report)
    args = parser.parse_args()
    sys.exit(args.func(args))


if __name__ == "__main__":
    main()
