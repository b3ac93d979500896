#!/usr/bin/env python3
"""The dashboard's figures (see scripts/bench-dashboard): page times over a large store, and the
CPU an open live page adds to the proxy under a steady request rate."""
import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")
PAGES = [
    ("/", "Today", 0.300), ("/graph?days=30", "Graph, 30 days, by domain", 2.0),
    ("/graph?days=30&by=company", "Graph, 30 days, by company", 2.0), ("/graph?days=7", "Graph, 7 days", 2.0),
    ("/live", "Live", None), ("/devices", "Devices", None), ("/lists", "Lists", None), ("/privacy", "Privacy", None),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def start_crumbs(crumbs, data, dashboard_port, log):
    out = open(log, "w")
    process = subprocess.Popen(
        [crumbs, "run", "--listen", "127.0.0.1:0", "--data-dir", data, "--no-default-lists", "--digest-at", "off",
         "--retention-days", "0", "--dashboard", "127.0.0.1:%d" % dashboard_port],
        stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = open(log).read()
        found = re.search(r"Crumbs is listening on 127\.0\.0\.1:(\d+)", text)
        if found and "Press Ctrl-C" in text:
            return process, int(found.group(1))
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    sys.exit("crumbs run did not start: " + open(log).read()[-2000:])


def time_page(port, path):
    result = subprocess.run(
        ["curl", "-s", "-o", "/dev/null", "-H", "Host: crumbs.internal", "-w", "%{http_code} %{time_total} %{size_download}",
         "http://127.0.0.1:%d%s" % (port, path)], capture_output=True, text=True, timeout=120)
    code, total, size = result.stdout.split()
    if code != "200":
        sys.exit("%s answered %s" % (path, code))
    return float(total), int(float(size))


def start_nginx(work):
    root = os.path.join(work, "nginx")
    os.makedirs(os.path.join(root, "tmp"), exist_ok=True)
    with open(os.path.join(root, "1k"), "wb") as f:
        f.write(b"x" * 1024)
    user = "user root;" if os.geteuid() == 0 else ""
    conf = os.path.join(root, "nginx.conf")
    with open(conf, "w") as f:
        f.write("""%s
worker_processes 1; daemon off; pid %s/nginx.pid; error_log %s/error.log warn;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path %s/tmp/body; proxy_temp_path %s/tmp/proxy;
  fastcgi_temp_path %s/tmp/fastcgi; uwsgi_temp_path %s/tmp/uwsgi; scgi_temp_path %s/tmp/scgi;
  server { listen 127.0.0.1:18080; root %s; location / { default_type application/octet-stream; } } }
""" % ((user,) + (root,) * 8))
    process = subprocess.Popen(["nginx", "-c", conf, "-p", root], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", 18080), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    sys.exit("nginx did not start")


def wrk(proxy_port, seconds, rate, work):
    """About `rate` requests/s: 10 connections, each waiting 10,000/rate ms between requests."""
    connections = 10
    script = os.path.join(work, "steady.lua")
    with open(script, "w") as f:
        f.write('wrk.path = "http://127.0.0.1:18080/1k"\nfunction delay() return %d end\n'
                % max(1, round(connections * 1000 / rate)))
    result = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", "%ds" % seconds, "-s", script,
                             "http://127.0.0.1:%d" % proxy_port], capture_output=True, text=True)
    found = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    return float(found.group(1)) if found else 0.0


def live_clients(proxy_port, count, work):
    clients = []
    for index in range(count):
        out = open(os.path.join(work, "live-%d.txt" % index), "wb")
        clients.append((subprocess.Popen(
            ["curl", "-s", "-N", "-x", "http://127.0.0.1:%d" % proxy_port, "http://crumbs.internal/live/events"],
            stdout=out, stderr=subprocess.DEVNULL), out))
    time.sleep(1)
    return clients


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--crumbs", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--live-clients", type=int, default=1)
    parser.add_argument("--rate", type=int, default=1000)
    args = parser.parse_args()

    dashboard_port = free_port()
    crumbs, proxy_port = start_crumbs(args.crumbs, args.data_dir, dashboard_port, os.path.join(args.work, "run.log"))
    nginx = None
    try:
        print("\nPages (server time = curl's total on loopback, %d runs after one cold run)" % args.runs)
        print("| page | cold | median | best | size | limit |")
        print("|---|---:|---:|---:|---:|---|")
        for path, name, limit in PAGES:
            cold, size = time_page(dashboard_port, path)
            times = [time_page(dashboard_port, path)[0] for _ in range(args.runs)]
            verdict = "" if limit is None else ("≤ %.0f ms: %s" % (limit * 1000, "met" if statistics.median(times) <= limit else "NOT met"))
            print("| %s (`%s`) | %.0f ms | %.0f ms | %.0f ms | %d KiB | %s |" % (
                name, path, cold * 1000, statistics.median(times) * 1000, min(times) * 1000, size // 1024, verdict))

        # The live phase records what it sends: on a store of its own, so that the million-event
        # store stays as generated for the next run's pages.
        crumbs.send_signal(signal.SIGTERM)
        crumbs.wait(timeout=60)
        live_data = os.path.join(args.work, "live-data")
        shutil.rmtree(live_data, ignore_errors=True)
        os.makedirs(live_data)
        crumbs, proxy_port = start_crumbs(args.crumbs, live_data, free_port(), os.path.join(args.work, "live.log"))
        nginx = start_nginx(args.work)
        print("\nLive feed: crumbs' CPU at ~%d requests/s through the proxy, %d s per run, "
              "with and without %d open live page stream(s)" % (args.rate, args.seconds, args.live_clients))
        print("| round | live pages | requests/s | crumbs CPU | CPU per 1,000 req |")
        print("|---|---:|---:|---:|---:|")
        results = {0: [], args.live_clients: []}
        for round_index in range(args.rounds):
            for clients_wanted in (0, args.live_clients):
                clients = live_clients(proxy_port, clients_wanted, args.work) if clients_wanted else []
                before = cpu_seconds(crumbs.pid)
                rate = wrk(proxy_port, args.seconds, args.rate, args.work)
                used = cpu_seconds(crumbs.pid) - before
                for process, out in clients:
                    process.kill()
                    process.wait()
                    out.close()
                percent = used / args.seconds * 100
                results[clients_wanted].append((percent, rate))
                print("| %d | %d | %.0f | %.1f %% of a core | %.3f s |" % (
                    round_index + 1, clients_wanted, rate, percent, used / max(rate * args.seconds / 1000, 1e-9)))
        without = statistics.median(p for p, _ in results[0])
        with_live = statistics.median(p for p, _ in results[args.live_clients])
        received = sum(os.path.getsize(os.path.join(args.work, "live-%d.txt" % i)) for i in range(args.live_clients))
        print("\nAdded by the open live page(s): %+.1f points of a core (%.1f %% → %.1f %%, %+.0f %% relative); "
              "limit ≤ 5 %%: %s. Bytes the last round's stream(s) received: %d." % (
                  with_live - without, without, with_live, (with_live / without - 1) * 100 if without else 0,
                  "met" if with_live - without <= 5 else "NOT met", received))
    finally:
        crumbs.send_signal(signal.SIGTERM)
        try:
            crumbs.wait(timeout=30)
        except subprocess.TimeoutExpired:
            crumbs.kill()
        if nginx:
            # SIGTERM: the master stops its workers (SIGKILL would leave them holding the port).
            nginx.terminate()
            try:
                nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                nginx.kill()
                nginx.wait()


if __name__ == "__main__":
    main()
