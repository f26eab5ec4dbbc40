"""Start-up of ``brandaudit check``: seconds from process start to its first request.

A loopback server answers GitHub's user API at once; brandaudit reaches it through the origin
map. The time from ``Popen`` to the request's arrival is start-up (imports, config, adapters,
client), without the network. Loopback only; bounded: one request per run.

    python -m bench.startup [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ARRIVALS: list[float] = []


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        ARRIVALS.append(time.perf_counter())
        body = json.dumps({"login": "acme", "type": "Organization", "id": 1}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    env = dict(os.environ, BRANDAUDIT_ORIGIN_MAP=f"https://*={origin}", BRANDAUDIT_NO_CACHE="1")
    command = [str(Path(sys.executable).parent / "brandaudit"), "check", "acme.com",
               "-p", "github", "--no-discover", "-f", "json"]  # fmt: skip
    firsts, totals = [], []
    try:
        for _ in range(args.runs):
            ARRIVALS.clear()
            started = time.perf_counter()
            subprocess.run(command, env=env, capture_output=True, check=True, timeout=60)
            totals.append(time.perf_counter() - started)
            firsts.append(ARRIVALS[0] - started)
    finally:
        server.shutdown()
        server.server_close()
    print(f"start-up to first request: median {statistics.median(firsts):.3f} s")
    print(f"whole one-check run:       median {statistics.median(totals):.3f} s")


if __name__ == "__main__":
    main()
