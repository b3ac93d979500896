#!/usr/bin/env python3
"""Adversarial cases against the crumbs binary, as an ordinary user runs it.

Usage: scripts/torture.py CRUMBS_BINARY [CASE...]

Every case starts its own crumbs (as `nobody` when run as root), its own origin on 127.0.0.1,
drives it, stops it, and reports one row: case, expected, observed, verdict. Only loopback
addresses are used; every process started is stopped by its pid. Exit status 1 when a case fails.
"""

import gzip
import http.server
import os
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

BINARY = os.path.abspath(sys.argv[1])
ROOT = os.geteuid() == 0
DROP = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"] if ROOT else []
NOBODY = (65534, 65534)


# --- helpers ------------------------------------------------------------------------------------


class Origin(http.server.ThreadingHTTPServer):
    """A keep-alive HTTP/1.1 origin: /hello, /bytes/N (streams N bytes), /upload (counts the body)."""

    daemon_threads = True
    request_queue_size = 1024

    def __init__(self):
        super().__init__(("127.0.0.1", 0), OriginHandler)
        self.requests = []
        self.lock = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self):
        return self.server_address[1]


class OriginHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        # The head and the body leave in two writes: without this, Nagle and delayed ACKs add
        # 40 ms to every response, the origin's delay and not the proxy's.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):
        pass

    def do_GET(self):
        with self.server.lock:
            self.server.requests.append(self.path)
        if self.path.startswith("/bytes/"):
            size = int(self.path.split("/")[2])
            self.send_response(200)
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = b"x" * (1 << 20)
            while size > 0:
                n = min(size, len(chunk))
                self.wfile.write(chunk[:n])
                size -= n
            return
        body = b"hello"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Set-Cookie", "session=%s; Path=/" % ("s" * 20))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        with self.server.lock:
            self.server.requests.append(self.path)
        length = int(self.headers.get("Content-Length", "0"))
        received = 0
        while received < length:
            data = self.rfile.read(min(1 << 20, length - received))
            if not data:
                break
            received += len(data)
        body = str(received).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Crumbs:
    """`crumbs run` on 127.0.0.1:0 with its own data directory, as an ordinary user."""

    def __init__(self, *arguments, data=None, prepare=None, limit_file_kib=None, listen="127.0.0.1:0"):
        self.data = data or tempfile.mkdtemp(prefix="crumbs-torture-")
        if data is None:
            os.rmdir(self.data)  # crumbs creates it, as the user it runs as
        if prepare:
            prepare(self.data)
        command = DROP + [BINARY, "run", "--listen", listen, "--data-dir", self.data, "--no-default-lists"]
        command += list(arguments)
        env = dict(os.environ, XDG_CONFIG_HOME=self.data + "-config")
        self.log_path = tempfile.mktemp(prefix="crumbs-torture-log-")
        self.log_file = open(self.log_path, "w+")
        preexec = None
        if limit_file_kib is not None:
            def preexec():
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_kib * 1024, limit_file_kib * 1024))
        self.process = subprocess.Popen(command, stdout=self.log_file, stderr=subprocess.STDOUT, env=env,
                                        preexec_fn=preexec)
        self.port = None
        deadline = time.time() + 20
        while time.time() < deadline and self.process.poll() is None:
            text = self.log
            marker = "listening on 127.0.0.1:"
            if marker in text:
                self.port = int(text.split(marker, 1)[1].split()[0])
                return
            time.sleep(0.05)

    @property
    def log(self):
        with open(self.log_path) as f:
            return f.read()

    @property
    def started(self):
        return self.port is not None

    def memory_kib(self, field):
        """A memory figure of /proc/PID/status in KiB: VmRSS now, VmHWM the peak."""
        try:
            with open("/proc/%d/status" % self.process.pid) as f:
                for line in f:
                    if line.startswith(field + ":"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def events(self, where="1"):
        path = os.path.join(self.data, "crumbs.sqlite")
        if not os.path.exists(path):
            return []
        db = sqlite3.connect(path)
        try:
            return db.execute("SELECT host, path, status, failure, client FROM event_named WHERE " + where).fetchall()
        finally:
            db.close()

    def cleanup(self):
        self.stop(signal.SIGKILL)
        self.log_file.close()
        shutil.rmtree(self.data, ignore_errors=True)
        shutil.rmtree(self.data + "-config", ignore_errors=True)
        os.unlink(self.log_path)


def connect(port, source="127.0.0.1"):
    s = socket.socket()
    s.bind((source, 0))
    s.settimeout(10)
    s.connect(("127.0.0.1", port))
    return s


def read_response(s, limit=1 << 20):
    """One HTTP response with a Content-Length body; b"" when the connection closed first."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length and len(rest) < limit:
        chunk = s.recv(65536)
        if not chunk:
            break
        rest += chunk
    return head + b"\r\n\r\n" + rest


def read_all(s, seconds=10):
    s.settimeout(seconds)
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    return data


def get(port, url, source="127.0.0.1", headers=""):
    s = connect(port, source)
    s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n%s\r\n" % (url, headers)).encode())
    answer = read_response(s)
    s.close()
    return answer


class Load:
    """Keep-alive clients sending GET /hello through crumbs as fast as answers come back; each
    whole answer is noted with its time. `stop()` ends them and waits (bounded)."""

    def __init__(self, proxy_port, origin_port, clients):
        self.answered = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.client, args=(proxy_port, origin_port, index))
                        for index in range(clients)]
        for thread in self.threads:
            thread.start()

    def client(self, proxy_port, origin_port, index):
        try:
            s = connect(proxy_port)
            n = 0
            while not self.stopping.is_set():
                s.sendall(("GET http://127.0.0.1:%d/hello?c=%d&n=%d HTTP/1.1\r\nHost: x\r\n\r\n"
                           % (origin_port, index, n)).encode())
                answer = read_response(s)
                # Only a whole answer counts: status line to the end of the body.
                if not answer.startswith(b"HTTP/1.1 200") or not answer.endswith(b"hello"):
                    return
                with self.lock:
                    self.answered.append(time.time())
                n += 1
        except OSError:
            return

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(15)
        return self.answered


def status_of(answer):
    try:
        return int(answer.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None


# --- cases --------------------------------------------------------------------------------------

CASES = []


def case(name, expected):
    def register(function):
        CASES.append((name, expected, function))
        return function
    return register


@case("runs as an ordinary user", "status page 200 as nobody")
def ordinary_user():
    crumbs = Crumbs()
    try:
        if not crumbs.started:
            return False, "did not start: " + crumbs.log[-300:]
        s = connect(crumbs.port)
        s.sendall(("GET /status HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % crumbs.port).encode())
        answer = read_response(s)
        s.close()
        user = subprocess.run(["ps", "-o", "user=", "-p", str(crumbs.process.pid)], capture_output=True,
                              text=True).stdout.strip()
        return status_of(answer) == 200, "status %s as %s" % (status_of(answer), user)
    finally:
        crumbs.cleanup()


@case("SIGTERM under load (16 keep-alive clients)", "every answered request recorded")
def sigterm_under_load():
    origin = Origin()
    crumbs = Crumbs()
    load = Load(crumbs.port, origin.port, 16)
    time.sleep(2)
    status = crumbs.stop()
    answered = len(load.stop())
    try:
        recorded = len(crumbs.events("path = '/hello' AND status = 200"))
        ok = status == 0 and recorded >= answered > 0
        return ok, "%d answered, %d recorded, exit %s" % (answered, recorded, status)
    finally:
        crumbs.cleanup()
        origin.shutdown()


@case("intercepted origin that never completes TLS", "504 naming the phase, within the timeout")
def stalled_tls_origin():
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    port = silent.getsockname()[1]
    crumbs = Crumbs("--intercept", "--connect-port", str(port), "--upstream-timeout", "2")
    try:
        ca = os.path.join(crumbs.data, "ca", "crumbs-ca.pem")
        started = time.time()
        run = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20",
                              "--cacert", ca, "-x", "http://127.0.0.1:%d" % crumbs.port,
                              "https://127.0.0.1:%d/" % port], capture_output=True, text=True)
        waited = time.time() - started
        crumbs.stop()
        failures = [e[3] or "" for e in crumbs.events()]
        named = any("TLS handshake with the origin did not complete" in f for f in failures)
        ok = run.stdout == "504" and waited < 6 and named
        return ok, "HTTP %s after %.1f s; event names the phase: %s" % (run.stdout, waited, named)
    finally:
        crumbs.cleanup()
        silent.close()


@case("one address holds 300 connections", "another address answered < 100 ms; 503 readable")
def connection_hog():
    origin = Origin()
    crumbs = Crumbs("--max-connections-per-client", "100")
    hoard = []
    try:
        for _ in range(300):
            try:
                hoard.append(connect(crumbs.port, "127.0.0.2"))
            except OSError:
                break
        time.sleep(0.2)
        refused = connect(crumbs.port, "127.0.0.2")
        refused.sendall(("GET http://127.0.0.1:%d/hello HTTP/1.1\r\nHost: x\r\n\r\n" % origin.port).encode())
        refusal = read_all(refused, 5)
        started = time.time()
        answer = get(crumbs.port, "http://127.0.0.1:%d/hello" % origin.port)
        waited = (time.time() - started) * 1000
        ok = status_of(answer) == 200 and waited < 100 and refusal.startswith(b"HTTP/1.1 503")
        return ok, "other client: %s in %.0f ms; 101st of the hog: %r" % (
            status_of(answer), waited, refusal.split(b"\r\n")[0].decode(errors="replace"))
    finally:
        for s in hoard:
            s.close()
        crumbs.cleanup()
        origin.shutdown()


@case("CONNECT loop between two proxies", "refused at once, a handful of events")
def connect_loop():
    def free_port():
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        return port

    port_a, port_b = free_port(), free_port()
    a = Crumbs("--upstream", "http://127.0.0.1:%d" % port_b, listen="127.0.0.1:%d" % port_a)
    b = Crumbs("--upstream", "http://127.0.0.1:%d" % port_a, listen="127.0.0.1:%d" % port_b)
    try:
        s = connect(port_a)
        started = time.time()
        s.sendall(b"CONNECT shop.example:443 HTTP/1.1\r\nHost: shop.example:443\r\n\r\n")
        answer = read_response(s)
        waited = time.time() - started
        time.sleep(0.5)
        a.stop()
        b.stop()
        total = len(a.events()) + len(b.events())
        ok = status_of(answer) == 502 and total <= 4
        return ok, "%s after %.2f s, %d events" % (status_of(answer), waited, total)
    finally:
        a.cleanup()
        b.cleanup()


@case("stale pid file", "nothing signalled")
def stale_pid():
    bystander = subprocess.Popen(["sleep", "30"])
    directory = tempfile.mkdtemp(prefix="crumbs-torture-")
    try:
        with open(os.path.join(directory, "crumbs.pid"), "w") as f:
            f.write("%d\n" % bystander.pid)
        if ROOT:
            os.chown(directory, *NOBODY)
            os.chown(os.path.join(directory, "crumbs.pid"), *NOBODY)
        run = subprocess.run(DROP + [BINARY, "lists", "reload", "--data-dir", directory], capture_output=True,
                             text=True)
        time.sleep(0.2)
        alive = bystander.poll() is None
        return alive and run.returncode != 0, "bystander alive: %s; %s" % (alive, run.stderr.strip()[:90])
    finally:
        bystander.kill()
        bystander.wait()
        shutil.rmtree(directory, ignore_errors=True)


@case("short cookie values", "no hash stored for zip=90210, pin=4821")
def short_cookies():
    origin = Origin()
    crumbs = Crumbs()
    try:
        get(crumbs.port, "http://127.0.0.1:%d/hello" % origin.port,
            headers="Cookie: zip=90210; pin=4821; uid=3f2b8c1e-9d4a-4e7b-8f6a-2c1d0e9b7a65\r\n")
        crumbs.stop()
        db = sqlite3.connect(os.path.join(crumbs.data, "crumbs.sqlite"))
        rows = dict(db.execute("SELECT name, value_hash FROM cookie_sent").fetchall())
        db.close()
        ok = rows.get("zip") == "" and rows.get("pin") == "" and len(rows.get("uid", "")) == 32
        return ok, "hashes: zip %r, pin %r, uid %d hex digits" % (rows.get("zip"), rows.get("pin"),
                                                                len(rows.get("uid", "")))
    finally:
        crumbs.cleanup()
        origin.shutdown()


@case("plain HTTP to port 25", "403 with the reason")
def unsafe_port():
    crumbs = Crumbs()
    try:
        answer = get(crumbs.port, "http://127.0.0.1:25/")
        ok = status_of(answer) == 403 and b"not allowed" in answer
        return ok, "%s" % status_of(answer)
    finally:
        crumbs.cleanup()


@case("a binary file as --list", "refused with the reason; nothing marked")
def binary_list():
    crumbs = Crumbs("--list", BINARY)
    try:
        run = subprocess.run(DROP + [BINARY, "classify", "--list", BINARY], input="https://www.news.example/\n",
                             capture_output=True, text=True)
        ok = "is not a text file" in crumbs.log and '"tracker":false' in run.stdout.replace(" ", "")
        return ok, "warning logged: %s; verdict: %s" % ("is not a text file" in crumbs.log, run.stdout.strip()[:60])
    finally:
        crumbs.cleanup()


@case("world-writable data dir, 0644 key", "tightened to 0700 / 0600 and logged")
def open_data_dir():
    def prepare(path):
        os.makedirs(path, exist_ok=True)
        os.chmod(path, 0o777)
        with open(os.path.join(path, "secret.key"), "wb") as f:
            f.write(os.urandom(32))
        os.chmod(os.path.join(path, "secret.key"), 0o644)
        if ROOT:
            os.chown(path, *NOBODY)
            os.chown(os.path.join(path, "secret.key"), *NOBODY)

    crumbs = Crumbs(data=tempfile.mkdtemp(prefix="crumbs-torture-"), prepare=prepare)
    try:
        directory = oct(os.stat(crumbs.data).st_mode & 0o777)
        key = oct(os.stat(os.path.join(crumbs.data, "secret.key")).st_mode & 0o777)
        ok = directory == "0o700" and key == "0o600" and "tightened" in crumbs.log
        return ok, "directory %s, key %s" % (directory, key)
    finally:
        crumbs.cleanup()


@case("DNS rebinding (Host: evil.example)", "403 for the status page and PAC")
def rebinding():
    crumbs = Crumbs()
    try:
        statuses = []
        for path in ["/", "/proxy.pac"]:
            s = connect(crumbs.port)
            s.sendall(("GET %s HTTP/1.1\r\nHost: evil.example:8080\r\n\r\n" % path).encode())
            statuses.append(status_of(read_all(s, 5)))
        return statuses == [403, 403], "%s" % statuses
    finally:
        crumbs.cleanup()


@case("malformed chunk after the head went upstream", "400, event with status 400")
def malformed_after_head():
    origin = Origin()
    crumbs = Crumbs()
    try:
        s = connect(crumbs.port)
        s.sendall(("POST http://127.0.0.1:%d/upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "5\r\nhello\r\nZZZ\r\n" % origin.port).encode())
        answer = read_all(s, 5)
        crumbs.stop()
        events = crumbs.events("path = '/upload'")
        ok = status_of(answer) == 400 and events and events[0][2] == 400
        return ok, "client got %s; event %s" % (status_of(answer), events[0][2:4] if events else None)
    finally:
        crumbs.cleanup()
        origin.shutdown()


SMUGGLING = {
    "CL + TE": "POST {u} HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
               "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
    "two different CL": "POST {u} HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 40\r\n\r\nabcd",
    "obs-fold": "GET {u} HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n",
    "bare LF": "GET {u} HTTP/1.1\nHost: x\n\n",
    "NUL in a value": "GET {u} HTTP/1.1\r\nHost: x\r\nX-Nul: a\x00b\r\n\r\n",
    "CR in a value": "GET {u} HTTP/1.1\r\nHost: x\r\nX-Cr: a\rb\r\n\r\n",
    "huge chunk size": "POST {u} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "fffffffffffffffffff\r\nabc\r\n",
}


@case("request smuggling (7 forms)", "each refused with 400, or forwarded whole; nothing smuggled")
def smuggling():
    origin = Origin()
    crumbs = Crumbs()
    results = []
    try:
        for name, template in SMUGGLING.items():
            s = connect(crumbs.port)
            s.sendall(template.format(u="http://127.0.0.1:%d/upload" % origin.port).encode())
            answer = read_all(s, 3)
            results.append("%s: %s" % (name, status_of(answer)))
        smuggled = any("smuggled" in p for p in origin.requests)
        # A proxy may refuse (400) or normalise; what must never happen is a second request
        # reaching the origin.
        ok = not smuggled and all(r.endswith(("400", "200")) for r in results)
        return ok, "; ".join(results) + ("; SMUGGLED" if smuggled else "")
    finally:
        crumbs.cleanup()
        origin.shutdown()


@case("slowloris (head 1 byte per 0.5 s)", "closed by the idle timeout (2 s)")
def slowloris():
    crumbs = Crumbs("--idle-timeout", "2")
    try:
        s = connect(crumbs.port)
        started = time.time()
        request = b"GET http://127.0.0.1:9/ HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100
        closed_after = None
        for byte in request:
            try:
                s.send(bytes([byte]))
                s.settimeout(0.5)
                if s.recv(1) == b"":
                    closed_after = time.time() - started
                    break
            except socket.timeout:
                continue
            except OSError:
                closed_after = time.time() - started
                break
        ok = closed_after is not None and closed_after < 4
        return ok, "closed after %s" % ("%.1f s" % closed_after if closed_after else "never (%.0f s)" % (
            time.time() - started))
    finally:
        crumbs.cleanup()


@case("1 GiB down and 1 GiB up", "both whole; peak RSS < 120 MiB")
def gigabyte():
    origin = Origin()
    crumbs = Crumbs()
    try:
        size = 1 << 30
        s = connect(crumbs.port)
        s.sendall(("GET http://127.0.0.1:%d/bytes/%d HTTP/1.1\r\nHost: x\r\n\r\n" % (origin.port, size)).encode())
        received = 0
        head = b""
        s.settimeout(60)
        while b"\r\n\r\n" not in head:
            head += s.recv(65536)
        received = len(head.split(b"\r\n\r\n", 1)[1])
        while received < size:
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            received += len(chunk)
        s.close()
        up = connect(crumbs.port)
        up.settimeout(120)
        up.sendall(("POST http://127.0.0.1:%d/upload HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n"
                    % (origin.port, size)).encode())
        block = b"y" * (1 << 20)
        for _ in range(size >> 20):
            up.sendall(block)
        answer = read_response(up)
        up.close()
        peak = crumbs.memory_kib("VmHWM") // 1024
        sent_whole = answer.endswith(str(size).encode())
        ok = received == size and sent_whole and peak < 120
        return ok, "down %d MiB, up %s, peak RSS %d MiB" % (received >> 20, "whole" if sent_whole else "cut", peak)
    finally:
        crumbs.cleanup()
        origin.shutdown()


@case("kill -9 under load", "≤ 250 ms of traffic lost; integrity_check ok")
def kill_nine():
    origin = Origin()
    crumbs = Crumbs()
    load = Load(crumbs.port, origin.port, 8)
    time.sleep(3)
    crumbs.stop(signal.SIGKILL)
    answered = load.stop()
    try:
        recorded = len(crumbs.events("path = '/hello'"))
        rate = len([t for t in answered if t > answered[-1] - 1]) if answered else 0  # per second
        lost = len(answered) - recorded
        lost_ms = 1000.0 * lost / rate if rate else 0
        restarted = Crumbs(data=crumbs.data)
        restarted.stop()
        db = sqlite3.connect(os.path.join(crumbs.data, "crumbs.sqlite"))
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        db.close()
        ok = lost_ms <= 250 and integrity == "ok" and restarted.started
        restarted.cleanup()
        return ok, "%d answered, %d lost (%.0f ms at %d/s); integrity %s" % (
            len(answered), lost, lost_ms, rate, integrity)
    finally:
        crumbs.cleanup()
        origin.shutdown()


@case("read-only data directory", "one clear line, exit non-zero")
def read_only_directory():
    directory = tempfile.mkdtemp(prefix="crumbs-torture-")
    try:
        os.chmod(directory, 0o500)
        if ROOT:
            os.chown(directory, *NOBODY)
        crumbs = Crumbs(data=directory)
        status = crumbs.stop()
        last = crumbs.log.strip().splitlines()[-1] if crumbs.log.strip() else ""
        ok = not crumbs.started and status != 0 and last.startswith("crumbs:")
        os.chmod(directory, 0o700)
        crumbs.cleanup()
        return ok, "exit %s: %s" % (status, last[:90])
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@case("full disk (file size limit 400 KiB)", "forwarding goes on; error logged once")
def full_disk():
    origin = Origin()
    crumbs = Crumbs(limit_file_kib=400)
    try:
        s = connect(crumbs.port)
        answered = 0
        padding = "v" * 200
        for n in range(1500):
            s.sendall(("GET http://127.0.0.1:%d/hello?n=%d HTTP/1.1\r\nHost: x\r\nCookie: a=%s\r\n\r\n"
                       % (origin.port, n, padding)).encode())
            if read_response(s).endswith(b"hello"):
                answered += 1
        time.sleep(1.5)
        errors = crumbs.log.count("cannot store events")
        ok = answered == 1500 and errors == 1
        return ok, "%d of 1500 answered; storage error logged %d time(s)" % (answered, errors)
    finally:
        crumbs.cleanup()
        origin.shutdown()


@case("queue memory while storage fails", "growth bounded near --queue-mib 16")
def queue_memory():
    origin = Origin()
    crumbs = Crumbs("--queue-mib", "16", limit_file_kib=200)
    try:
        baseline = 0
        cookies = "; ".join("c%d=%s" % (i, "%032x" % (i * 7919)) for i in range(20))
        s = connect(crumbs.port)
        for n in range(20000):
            if n == 2000:
                time.sleep(0.5)
                baseline = crumbs.memory_kib("VmRSS")
            s.sendall(("GET http://127.0.0.1:%d/hello?n=%d HTTP/1.1\r\nHost: x\r\nCookie: %s\r\n\r\n"
                       % (origin.port, n, cookies)).encode())
            read_response(s)
        time.sleep(1)
        growth = (crumbs.memory_kib("VmRSS") - baseline) // 1024
        dropped = "dropping the oldest" in crumbs.log
        ok = growth < 40 and dropped
        return ok, "RSS grew %d MiB after the disk filled (queue bound 16 MiB); oldest dropped: %s" % (
            growth, dropped)
    finally:
        crumbs.cleanup()
        origin.shutdown()


def main():
    wanted = set(sys.argv[2:])
    rows = []
    failed = False
    for name, expected, function in CASES:
        if wanted and function.__name__ not in wanted:
            continue
        started = time.time()
        try:
            ok, observed = function()
        except Exception as error:  # a case that breaks is a failed case, not a broken run
            ok, observed = False, "error: %r" % error
        failed |= not ok
        rows.append((name, expected, observed, "ok" if ok else "FAIL", time.time() - started))
        print("%-4s %-45s %s (%.1f s)" % (rows[-1][3], name, observed, rows[-1][4]), flush=True)
    print()
    print("| case | expected | observed | |")
    print("|---|---|---|---|")
    for name, expected, observed, verdict, _ in rows:
        print("| %s | %s | %s | %s |" % (name, expected, observed.replace("|", "/"), verdict))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
