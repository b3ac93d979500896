"""Chromium's DevTools protocol over --remote-debugging-pipe (file descriptors 3 and 4,
NUL-separated JSON): no WebSocket library and no port to open. Only the standard library.
Used by scripts/chromium-har and scripts/dashboard-tour."""
import json
import os
import select
import shutil
import subprocess
import tempfile
import time


class Pipe:
    """DevTools over the pipe: commands out on one end, replies and events in on the other."""

    def __init__(self, write_fd, read_fd):
        self.write_fd, self.read_fd = write_fd, read_fd
        self.buffer = b""
        self.next_id = 0

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        return self.next_id

    def messages(self, timeout):
        """Messages that arrive within `timeout` seconds."""
        ready, _, _ = select.select([self.read_fd], [], [], timeout)
        if ready:
            chunk = os.read(self.read_fd, 1 << 20)
            if not chunk:
                raise EOFError("chromium closed the DevTools pipe")
            self.buffer += chunk
        while b"\0" in self.buffer:
            raw, self.buffer = self.buffer.split(b"\0", 1)
            yield json.loads(raw)

    def call(self, method, params=None, session=None, timeout=20, events=None):
        """Sends a command and waits for its reply; events meanwhile go to `events`."""
        wanted = self.send(method, params, session)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages(0.2):
                if message.get("id") == wanted:
                    if "error" in message:
                        raise RuntimeError("%s: %s" % (method, message["error"]))
                    return message.get("result", {})
                if events is not None and "method" in message:
                    events.append(message)
        raise TimeoutError(method)


class Browser:
    """Headless Chromium with a DevTools pipe; `with Browser(args) as b:` closes it and removes
    its profile whatever happens."""

    def __init__(self, chromium, extra_args=()):
        self.profile = tempfile.mkdtemp(prefix="crumbs-chromium-")
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()
        command = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--disable-default-apps", "--disable-extensions", "--user-data-dir=" + self.profile,
                   "--remote-debugging-pipe"] + list(extra_args) + ["about:blank"]
        # Chromium reads commands on fd 3 and writes on fd 4.
        self.process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=lambda: (os.dup2(to_browser_r, 3), os.dup2(from_browser_w, 4)))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.pipe = Pipe(to_browser_w, from_browser_r)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        try:
            self.pipe.call("Browser.close", timeout=5)
        except (RuntimeError, TimeoutError, EOFError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)
