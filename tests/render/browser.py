"""Headless Chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
commands on fd 3, answers on fd 4, each JSON message ended by NUL), with no extra packages.

``load(path, width, height)`` opens a local file with the network emulated offline, and
returns the screenshot (PNG), console errors, exceptions and every request the page made.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import struct
import subprocess
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--hide-scrollbars",
    "--mute-audio",
    # Nothing can leave the machine even if the page tried.
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--remote-debugging-pipe",
]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        if found := shutil.which(name):
            return found
    return None


@dataclass
class PageLoad:
    png: bytes
    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    measured: Any = None


class _Pipe:
    def __init__(self, binary: str, profile: str) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        # Chrome reads fd 3 and writes fd 4: bash puts our pipe ends there (dash takes only
        # one-digit fds; no preexec_fn, which is unsafe while the test world's threads run).
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        script = f'exec "$0" "$@" 3<&{to_chrome_r} 4>&{from_chrome_w}'
        self.proc = subprocess.Popen(
            [
                shutil.which("bash") or "/bin/bash",
                "-c",
                script,
                binary,
                *FLAGS,
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            pass_fds=(to_chrome_r, from_chrome_w),
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        if any(e.get("method") == method for e in self.events):
            return
        while time.monotonic() < deadline:
            event = self._read(deadline - time.monotonic())
            self.events.append(event)
            if event.get("method") == method:
                return
        raise TimeoutError(method)

    def _read(self, timeout: float = 30.0) -> dict[str, Any]:
        import select

        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from chromium")
            ready, _, _ = select.select([self._from_chrome], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                self._log.seek(0)
                tail = self._log.read()[-2000:].decode(errors="replace")
                raise RuntimeError(f"chromium closed the pipe: {tail}")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        decoded: dict[str, Any] = json.loads(raw)
        return decoded

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self._log.close()
        for fd in (self._to_chrome, self._from_chrome):
            with contextlib.suppress(OSError):
                os.close(fd)


def load(
    path: Path,
    width: int,
    height: int,
    *,
    mobile: bool = False,
    media: str | None = None,
    full_page: bool = False,
    measure: str | None = None,
) -> PageLoad:
    """``media="print"`` lays the page out with its print stylesheet; ``full_page`` shoots
    the whole page, not the viewport; ``measure`` is a JavaScript expression whose JSON
    value lands in ``PageLoad.measured``."""
    binary = find_chromium()
    assert binary is not None, "no chromium"
    with tempfile.TemporaryDirectory(prefix="brandaudit-chromium-") as profile:
        pipe = _Pipe(binary, profile)
        try:
            target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
                "sessionId"
            ]
            for domain in ("Page", "Runtime", "Log", "Network"):
                pipe.send(f"{domain}.enable", session=session)
            pipe.send(
                "Network.emulateNetworkConditions",
                {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
                session=session,
            )
            pipe.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
                session=session,
            )
            if media:
                pipe.send("Emulation.setEmulatedMedia", {"media": media}, session=session)
            url = path.resolve().as_uri()
            pipe.events.clear()
            pipe.send("Page.navigate", {"url": url}, session=session)
            pipe.wait_for("Page.loadEventFired", 30)
            measured = None
            if measure:
                answer = pipe.send(
                    "Runtime.evaluate",
                    {"expression": f"JSON.stringify({measure})", "returnByValue": True},
                    session=session,
                )
                measured = json.loads(answer.get("result", {}).get("value") or "null")
            options: dict[str, Any] = {"format": "png", "captureBeyondViewport": full_page}
            if full_page:
                size = pipe.send("Page.getLayoutMetrics", session=session)["cssContentSize"]
                options["clip"] = {
                    "x": 0,
                    "y": 0,
                    "width": width,
                    "height": min(int(size["height"]), 12000),
                    "scale": 1,
                }
            shot = pipe.send("Page.captureScreenshot", options, session=session)
            # Let late events (console, requests) arrive.
            pipe.send("Runtime.evaluate", {"expression": "1"}, session=session)
            result = PageLoad(png=base64.b64decode(shot["data"]), measured=measured)
            for event in pipe.events:
                method, params = event.get("method"), event.get("params", {})
                if method == "Network.requestWillBeSent":
                    requested = params.get("request", {}).get("url", "")
                    if requested != url:
                        result.requests.append(requested)
                elif method == "Runtime.consoleAPICalled" and params.get("type") in {
                    "error",
                    "warning",
                    "assert",
                }:
                    result.console_errors.append(json.dumps(params.get("args", []))[:300])
                elif method == "Log.entryAdded" and params.get("entry", {}).get("level") in {
                    "error",
                    "warning",
                }:
                    result.console_errors.append(params["entry"].get("text", "")[:300])
                elif method == "Runtime.exceptionThrown":
                    result.exceptions.append(json.dumps(params)[:300])
            return result
        finally:
            pipe.close()


# ---------------------------------------------------------------------------------------
# a small PNG reader, to tell a blank screenshot from a drawn one


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) of an 8-bit, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, depth, colour = 8, b"", 0, 0, 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and colour in {2, 6}, (depth, colour)
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[x] = (line[x] + pred) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def distinct_colours(data: bytes, sample: int = 4) -> int:
    """How many different colours a screenshot has (every ``sample``-th pixel)."""
    width, _height, rows = png_pixels(data)
    channels = len(rows[0]) // width if rows else 3
    seen: set[bytes] = set()
    for row in rows[::sample]:
        for x in range(0, width, sample):
            seen.add(row[x * channels : x * channels + 3])
    return len(seen)
