"""Run an installed ``brandaudit`` the way a user would, without the network.

    python3 .ci/wheel_smoke.py /path/to/venv/bin/brandaudit 1.2.3

1. ``brandaudit --version`` prints ``brandaudit <version>`` (the fast path answers it).
2. ``brandaudit check acme.com -p github -f json`` against a loopback server that answers as
   GitHub's users API does (every origin mapped to it with BRANDAUDIT_ORIGIN_MAP, so nothing
   leaves the machine): GitHub must read ``claimed`` with its evidence, exit 0.
3. A bad domain is one line on stderr and exit 2, never a traceback.

Standard library only; the server is bounded (it stops in ``finally``) and so is each command.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _GitHub(BaseHTTPRequestHandler):
    """``GET /users/acme`` is an organisation; everything else is GitHub's 404."""

    def do_GET(self) -> None:
        if self.headers.get("Host", "").split(":")[0] == "api.github.com" and (
            self.path == "/users/acme"
        ):
            status, body = 200, {"login": "acme", "id": 1, "type": "Organization"}
        else:
            status, body = 404, {"message": "Not Found", "status": "404"}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


def _run(command: list[str], env: dict[str, str], cwd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def main(brandaudit: str, version: str) -> int:
    brandaudit = os.path.abspath(brandaudit)  # the commands run in a temporary directory
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as home:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": home,
            "XDG_CACHE_HOME": os.path.join(home, "cache"),
            "XDG_DATA_HOME": os.path.join(home, "data"),
            "NO_COLOR": "1",
            "COLUMNS": "100",
        }
        done = _run([brandaudit, "--version"], env, home)
        if done.returncode != 0 or done.stdout != f"brandaudit {version}\n":
            problems.append(f"--version: exit {done.returncode}, {done.stdout!r} {done.stderr!r}")

        server = ThreadingHTTPServer(("127.0.0.1", 0), _GitHub)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            origin = f"http://127.0.0.1:{server.server_address[1]}"
            check_env = {**env, "BRANDAUDIT_ORIGIN_MAP": f"https://*={origin},http://*={origin}"}
            command = [brandaudit, "check", "acme.com", "-p", "github", "-f", "json"]
            done = _run([*command, "--no-progress"], check_env, home)
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)
        try:
            brand = json.loads(done.stdout)["brands"][0]
            github = next(r for r in brand["platforms"] if r["platform"] == "github")
            if done.returncode != 0 or github["status"] != "claimed" or not github["evidence"]:
                problems.append(f"check: exit {done.returncode}, github {github['status']}")
        except (ValueError, KeyError, IndexError, StopIteration) as exc:
            problems.append(f"check: exit {done.returncode}, no report ({exc}): {done.stderr}")

        done = _run([brandaudit, "check", "not a domain"], env, home)
        if done.returncode != 2 or "Traceback" in done.stderr or len(done.stderr.splitlines()) != 1:
            problems.append(f"bad input: exit {done.returncode}, {done.stderr!r}")

    for problem in problems:
        print(f"wheel_smoke.py: {problem}", file=sys.stderr)
    if not problems:
        print(f"the installed brandaudit {version}: --version, an offline check, a usage error")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: wheel_smoke.py BRANDAUDIT VERSION")
    sys.exit(main(sys.argv[1], sys.argv[2]))
