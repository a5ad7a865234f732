#!/usr/bin/env python3
"""A small Chrome DevTools Protocol client over --remote-debugging-pipe.

Standard library only. Chromium reads NUL-terminated JSON commands on its fd 3
and writes NUL-terminated JSON replies and events on its fd 4.

    from cdp import Browser, find_chromium
    with Browser(find_chromium()) as b:
        p = b.new_page()
        p.navigate("file:///tmp/report.html")
        print(p.evaluate("document.title"), p.requests, p.exceptions, p.log_errors)
        p.screenshot("shot.png", width=1200)

Every wait is bounded (CDPError on timeout). A Page records, from the moment it
is made: the requests the page sent (Network.requestWillBeSent), uncaught script
errors (Runtime.exceptionThrown), console calls (Runtime.consoleAPICalled) and
browser log entries (Log.entryAdded: CSP violations, blocked loads).
"""

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time


class CDPError(Exception):
    pass


def find_chromium():
    """The Chromium binary: $CHROMIUM when set (None when that is not a program),
    else chromium, chromium-browser or google-chrome on PATH; or None."""
    if os.environ.get("CHROMIUM"):
        return shutil.which(os.environ["CHROMIUM"])
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    def __init__(self, binary, timeout=30.0, extra_args=()):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="exh-cdp-")
        cmd_r, self._cmd_w = os.pipe()
        self._resp_r, resp_w = os.pipe()

        def child_fds():
            # via fds above 4, so that neither pipe end is overwritten or
            # left close-on-exec when it already is 3 or 4
            a = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(resp_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = [
            binary,
            "--headless",
            "--remote-debugging-pipe",
            "--user-data-dir=" + self.profile,
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-gpu",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--mute-audio",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--no-sandbox")  # Chromium refuses to run its sandbox as root
        args += list(extra_args)
        args.append("about:blank")
        self.proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=child_fds,
        )
        os.close(cmd_r)
        os.close(resp_w)
        self._next_id = 0
        self._replies = {}
        self._events = queue.Queue()
        self._cond = threading.Condition()
        self._closed = False
        self._pages = {}
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # -- transport --

    def _read_loop(self):
        buf = b""
        while True:
            try:
                chunk = os.read(self._resp_r, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                break
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                try:
                    msg = json.loads(raw)
                except ValueError:
                    continue
                if "id" in msg:
                    with self._cond:
                        self._replies[msg["id"]] = msg
                        self._cond.notify_all()
                else:
                    page = self._pages.get(msg.get("sessionId"))
                    if page is not None:
                        page._event(msg)
                    self._events.put(msg)
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def send(self, method, params=None, session=None, timeout=None):
        """Send one command and wait for its result (CDPError on an error reply)."""
        self._next_id += 1
        mid = self._next_id
        msg = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        try:
            os.write(self._cmd_w, data)
        except OSError as e:
            raise CDPError("browser pipe closed: %s" % e)
        deadline = time.monotonic() + (timeout or self.timeout)
        with self._cond:
            while mid not in self._replies:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CDPError("%s: no reply in time" % method)
                if self._closed:
                    raise CDPError("%s: the browser went away" % method)
                self._cond.wait(left)
            reply = self._replies.pop(mid)
        if "error" in reply:
            raise CDPError("%s: %s" % (method, reply["error"].get("message")))
        return reply.get("result", {})

    # -- pages --

    def new_page(self, width=1200, height=900):
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, target, session)
        self._pages[session] = page
        page._enable(width, height)
        return page

    def close(self):
        try:
            if self.proc.poll() is None:
                try:
                    self.send("Browser.close", timeout=5)
                except CDPError:
                    pass
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        finally:
            for fd in (self._cmd_w, self._resp_r):
                try:
                    os.close(fd)
                except OSError:
                    pass
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Page:
    def __init__(self, browser, target, session):
        self.b = browser
        self.target = target
        self.session = session
        self.requests = []  # URLs the page asked for
        self.exceptions = []  # uncaught script errors (text)
        self.console = []  # (type, text) of console calls
        self.log = []  # (level, source, text) of browser log entries
        self._lock = threading.Lock()
        self._loaded = threading.Event()

    def send(self, method, params=None, timeout=None):
        return self.b.send(method, params, self.session, timeout)

    def _enable(self, width, height):
        for domain in ("Network", "Runtime", "Log", "Page"):
            self.send(domain + ".enable")
        self.set_size(width, height)

    def _event(self, msg):
        m, p = msg.get("method"), msg.get("params", {})
        with self._lock:
            if m == "Network.requestWillBeSent":
                self.requests.append(p.get("request", {}).get("url", ""))
            elif m == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                self.exceptions.append(d.get("exception", {}).get("description") or d.get("text"))
            elif m == "Runtime.consoleAPICalled":
                text = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
                self.console.append((p.get("type"), text))
            elif m == "Log.entryAdded":
                e = p.get("entry", {})
                self.log.append((e.get("level"), e.get("source"), e.get("text")))
            elif m == "Page.loadEventFired":
                self._loaded.set()

    @property
    def log_errors(self):
        """Browser log entries of level error or warning (CSP violations are errors)."""
        return [e for e in self.log if e[0] in ("error", "warning")]

    def set_size(self, width, height):
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def set_javascript(self, enabled):
        self.send("Emulation.setScriptExecutionDisabled", {"value": not enabled})

    def navigate(self, url, timeout=None):
        """Load url and wait for its load event; returns the seconds it took."""
        self._loaded.clear()
        t0 = time.monotonic()
        r = self.send("Page.navigate", {"url": url}, timeout=timeout)
        if r.get("errorText"):
            raise CDPError("navigate %s: %s" % (url, r["errorText"]))
        if not self._loaded.wait(timeout or self.b.timeout):
            raise CDPError("navigate %s: no load event in time" % url)
        return time.monotonic() - t0

    def evaluate(self, expr, timeout=None):
        """The value of a JavaScript expression (by value; CDPError if it threw).
        Runs even when the page's own scripts are disabled."""
        r = self.send(
            "Runtime.evaluate",
            {"expression": expr, "returnByValue": True, "awaitPromise": True},
            timeout=timeout,
        )
        if "exceptionDetails" in r:
            raise CDPError("evaluate: %s" % r["exceptionDetails"].get("text"))
        return r.get("result", {}).get("value")

    def screenshot(self, path, width=1200, height=None, full=True):
        """A PNG of the page, width wide; the whole page (up to height) when full."""
        if full:
            h = int(self.evaluate("Math.ceil(document.documentElement.scrollHeight)") or 900)
            if height:
                h = min(h, height)
        else:
            h = height or 900
        self.set_size(width, h)
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False})[
            "data"
        ]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        self.b.send("Target.closeTarget", {"targetId": self.target})
