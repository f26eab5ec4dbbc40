"""No credential at rest (issue 22, finding 3): with every supported credential set, a run of
every adapter writes none of them to the HTTP cache, the history store or a report, even when
the server echoes the request (URL, query and headers) back in its body and headers."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, quote_plus

from tests.conftest import World, credential_variables
from tests.platforms.test_contract import ADAPTERS, CUSTOM
from tests.world.http import Reply, Request


def _echo(request: Request) -> Reply:
    seen = {"path": request.path, "query": request.query, "headers": request.headers}
    body = {
        "echo": seen,
        "access_token": "runtime-token-from-the-server-0001",
        "token_type": "bearer",
        "expires_in": 3600,
    }
    header = json.dumps(request.query)[:2000]
    return Reply.json(body, headers={"X-Echo": header, "Cache-Control": "max-age=600"})


def _values() -> dict[str, str]:
    values = {}
    for i, name in enumerate(sorted(credential_variables())):
        secret = f"cred{i:02d}-{name.lower()}-Zq9"
        values[name] = f"appid{i:02d}|{secret}" if "FACEBOOK" in name else secret
    return values


def test_no_credential_reaches_disk(world: World, tmp_path: Path) -> None:
    world.http.route_prefix("*", "/", _echo)
    cache, data, work = tmp_path / "cache", tmp_path / "data", tmp_path / "work"
    work.mkdir()
    values = _values()
    env = world.env(
        BRANDAUDIT_NO_CACHE="0",
        BRANDAUDIT_CACHE_DIR=str(cache),
        XDG_DATA_HOME=str(data),
        **values,
    )
    # A user-defined platform's headers are credentials too (finding 5).
    headers = {"X-Auth-Token": "custom-header-token-77", "Cookie": "session=custom-cookie-88"}
    values |= {f"header {k}": v for k, v in headers.items()}
    (work / "brandaudit.toml").write_text(
        "[platforms.contractsocial]\n"
        + "".join(
            f"{k} = {json.dumps(v)}\n"
            for k, v in CUSTOM["contractsocial"].items()
            if not isinstance(v, dict)
        )
        + "claimed = { status = [200], json_path = 'echo.path' }\n"
        + "headers = { "
        + ", ".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in headers.items())
        + " }\n"
    )
    platforms = [arg for a in ADAPTERS for arg in ("-p", a)]
    for _ in range(2):  # the second run reads the cache
        result = world.run(
            "check",
            "acme.com",
            *platforms,
            "--save",
            "-o",
            "report.json",
            "-o",
            "report.md",
            "-o",
            "report.html",
            "-o",
            "report.sarif",
            env=env,
            cwd=work,
        )
        assert result.code in {0, 1, 3}, result.stderr
        assert all(value not in result.stdout + result.stderr for value in values.values())
    config = work / "brandaudit.toml"  # the user's own file
    files = [
        p for root in (cache, data, work) for p in root.rglob("*") if p.is_file() and p != config
    ]
    assert any(p.parent.parent == cache or cache in p.parents for p in files), "nothing cached"
    assert any(data in p.parents for p in files), "nothing saved"
    forms = {f for v in values.values() for f in (v, quote(v, safe=""), quote_plus(v))}
    leaks = {
        str(path.relative_to(tmp_path)): sorted(f for f in forms if f.encode() in path.read_bytes())
        for path in files
    }
    assert not {k: v for k, v in leaks.items() if v}
