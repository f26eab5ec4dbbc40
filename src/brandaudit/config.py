"""Settings: defaults < brandaudit.toml / [tool.brandaudit] < BRANDAUDIT_* env < command-line flags.

The file is read with ``tomllib`` and validated into frozen pydantic models with
``extra="forbid"``, so a typo is an error that names the file, the key and the line.
brandaudit never writes to a config file it did not create.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from brandaudit.errors import ConfigError

CONFIG_FILENAME = "brandaudit.toml"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


DNS_PORT = 53


def parse_nameserver(text: str) -> tuple[str, int]:
    """``1.2.3.4``, ``1.2.3.4:5353``, ``::1`` or ``[::1]:5353`` -> (ip, port)."""
    raw = text.strip()
    host, port = raw, DNS_PORT
    if raw.startswith("["):
        end = raw.find("]")
        if end < 0:
            raise ValueError(f"nameserver {text!r}: unterminated IPv6 address")
        host = raw[1:end]
        tail = raw[end + 1 :]
        if tail:
            if not tail.startswith(":") or not tail[1:].isdigit():
                raise ValueError(f"nameserver {text!r}: bad port")
            port = int(tail[1:])
    elif raw.count(":") == 1:
        host, port_text = raw.split(":")
        if not port_text.isdigit():
            raise ValueError(f"nameserver {text!r}: port must be a number")
        port = int(port_text)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(
            f"nameserver {text!r} must be an IP address, optionally with :port"
        ) from None
    if not 0 < port < 65536:
        raise ValueError(f"nameserver {text!r}: port out of range")
    return host, port


class NetworkSettings(_Model):
    """``[network]``: how brandaudit talks to the world."""

    origin_map: dict[str, str] = Field(
        default_factory=dict,
        description="FROM origin (or scheme://*) -> TO origin; the Host header is kept.",
    )
    nameservers: list[str] = Field(
        default_factory=list, description="ip[:port] used for brandaudit's own DNS queries."
    )
    connect_timeout: float = Field(default=5.0, gt=0, le=120)
    read_timeout: float = Field(default=5.0, gt=0, le=120)
    dns_timeout: float = Field(default=3.0, gt=0, le=60)
    deadline: float = Field(default=20.0, gt=0, le=600, description="Seconds per check.")
    concurrency: int | None = Field(
        default=None,
        ge=1,
        le=4096,
        description="Requests in flight over all hosts (default: as many as per_host allows "
        "on every host, capped by the open-file limit).",
    )
    per_host: int = Field(default=6, ge=1, le=1024, description="Requests in flight per host.")
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024, le=64 * 1024 * 1024)
    max_redirects: int = Field(default=5, ge=0, le=20)
    allow_private_network: bool = False
    user_agent: str | None = None
    retry_budget: float = Field(
        default=10.0, ge=0, le=300, description="Longest wait honoured for a 429 Retry-After."
    )
    brand_deadline: float | None = Field(
        default=None,
        gt=0,
        le=3600,
        description="Seconds allowed for one brand, all its checks included "
        "(default: three check deadlines).",
    )
    cache: bool = Field(default=True, description="Use the on-disk HTTP cache.")
    cache_dir: str | None = Field(
        default=None, description="Cache folder (default: the platform's user cache dir)."
    )
    cache_refresh: bool = Field(
        default=False, description="Ignore cached answers, but store fresh ones."
    )
    cache_ttl: float = Field(
        default=3600.0, ge=0, le=30 * 86400, description="Seconds a cached answer is reused."
    )
    cache_ttls: dict[str, float] = Field(
        default_factory=dict,
        description="Per platform id or host: seconds a cached answer is reused (0: never).",
    )
    engine: Literal["auto", "aiohttp", "httpx"] = Field(
        default="auto",
        description="HTTP engine under httpx: 'aiohttp' costs far less CPU with many requests "
        "in flight, plain 'httpx' starts faster; 'auto' picks httpx for a handful of checks.",
    )

    @field_validator("nameservers")
    @classmethod
    def _check_nameservers(cls, value: list[str]) -> list[str]:
        for item in value:
            parse_nameserver(item)
        return value

    @field_validator("origin_map")
    @classmethod
    def _check_origin_map(cls, value: dict[str, str]) -> dict[str, str]:
        from brandaudit.origin_map import OriginMap

        OriginMap.from_mapping(value)
        return value


def _validate_input(kind: str, value: str) -> None:
    """Refuse a domain or handle from the config as the command line would (``ValueError``
    for pydantic, so the error names the key and its line)."""
    from brandaudit.errors import InputError
    from brandaudit.handles import clean_handle, normalise_domain

    try:
        if kind == "domain":
            normalise_domain(value)
        else:
            clean_handle(value)
    except InputError as exc:
        raise ValueError(str(exc)) from None


class BrandSettings(_Model):
    """``[brand]``: the brand being audited."""

    domain: str | None = None
    domains: list[str] = Field(default_factory=list)
    name: str | None = None
    handles: list[str] = Field(default_factory=list)
    discover: bool = Field(
        default=True, description="Read the homepage for the profiles it links to."
    )
    activity: bool = Field(
        default=True,
        description="Read the last activity of claimed accounts (one or two requests each).",
    )
    dormant_after_days: int = Field(
        default=180,
        ge=1,
        le=36500,
        description="A claimed account whose last activity is older than this is dormant.",
    )

    @field_validator("domain")
    @classmethod
    def _check_domain(cls, value: str | None) -> str | None:
        if value is not None:
            _validate_input("domain", value)
        return value

    @field_validator("domains", "handles")
    @classmethod
    def _check_items(cls, value: list[str], info: ValidationInfo) -> list[str]:
        kind = "domain" if info.field_name == "domains" else "handle"
        for item in value:
            _validate_input(kind, item)
        return value

    def all_domains(self) -> list[str]:
        out = list(self.domains)
        if self.domain and self.domain not in out:
            out.insert(0, self.domain)
        return out


class PersonSettings(_Model):
    """``[[people]]``: someone who speaks for the brand (issue 16)."""

    name: str = Field(min_length=1, max_length=200)
    role: str | None = Field(default=None, max_length=200)
    handles: dict[str, str] = Field(
        default_factory=dict, description="Platform id -> the person's handle there."
    )
    required: list[str] = Field(
        default_factory=list, description="Platforms whose handle must be held (exit code)."
    )

    @field_validator("handles")
    @classmethod
    def _check_handles(cls, value: dict[str, str]) -> dict[str, str]:
        for handle in value.values():
            _validate_input("handle", handle)
        return {platform: handle.strip() for platform, handle in value.items()}

    @field_validator("required")
    @classmethod
    def _check_required(cls, value: list[str], info: ValidationInfo) -> list[str]:
        handles = info.data.get("handles", {})
        for platform in value:
            if platform not in handles:
                raise ValueError(f"{platform!r} is required but has no handle under handles")
        return value


class PolicySettings(_Model):
    """``[policy]``: how the exit code is decided beyond the claims."""

    min_score: int | None = Field(
        default=None,
        ge=0,
        le=100,
        description="Exit 1 when a brand's readiness score is below this (3 when no score).",
    )


DEFAULT_TLDS: tuple[str, ...] = ("com", "net", "org", "io", "co", "app", "ai")
_TLD = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$")


class DomainsSettings(_Model):
    """``[domains]``: the brand's name as a domain in other TLDs (the ``domain`` platform)."""

    tlds: list[str] = Field(
        default_factory=lambda: list(DEFAULT_TLDS),
        max_length=100,
        description="TLDs (or suffixes such as co.uk) the brand's name is checked under, besides "
        "the brand's own and its country TLD.",
    )

    @field_validator("tlds")
    @classmethod
    def _check_tlds(cls, value: list[str]) -> list[str]:
        out: list[str] = []
        for item in value:
            tld = item.strip().lower().strip(".")
            if not _TLD.match(tld):
                raise ValueError(f"{item!r} is not a TLD (e.g. 'io' or 'co.uk')")
            if tld not in out:
                out.append(tld)
        return out


class Settings(_Model):
    """Everything a run needs, resolved and validated."""

    brand: BrandSettings = Field(default_factory=BrandSettings)
    claims: dict[str, str] = Field(default_factory=dict)
    optional_claims: frozenset[str] = frozenset()
    network: NetworkSettings = Field(default_factory=NetworkSettings)
    policy: PolicySettings = Field(default_factory=PolicySettings)
    domains: DomainsSettings | None = Field(
        default=None,
        description="[domains]: present = the domain platform runs by default (see README).",
    )
    platforms: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="User-defined platforms, by id (raw, validated later)."
    )
    adapters: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Options for built-in adapters, by id."
    )
    credentials: dict[str, SecretStr] = Field(default_factory=dict)
    people: list[PersonSettings] = Field(
        default_factory=list, description="[[people]]: the brand's people (issue 16)."
    )
    source: str | None = Field(default=None, description="The config file read, if any.")
    source_lines: dict[str, int] = Field(
        default_factory=dict, description="Dotted key -> line in the source, where found."
    )

    def credential(self, name: str, env: tuple[str, ...] = ()) -> str | None:
        """A secret from the environment (first of ``env``) or ``[credentials] name``."""
        from brandaudit.redact import register

        for var in env:
            value = os.environ.get(var)
            if value:
                register(value)
                return value
        secret = self.credentials.get(name)
        if secret is None:
            return None
        register(secret.get_secret_value())
        return secret.get_secret_value()

    def line_of(self, dotted: str) -> int | None:
        return self.source_lines.get(dotted)


# ---------------------------------------------------------------------------------------
# Reading files


def line_index(text: str) -> dict[str, int]:
    """Map ``table.key`` to its line number, by a forgiving scan of the TOML source.

    A value that is an array or an inline table is walked too, so each element has a line of
    its own: ``claims.optional.1`` (the second element) and ``platforms.x.tags.0``, like
    pydantic's error locations, so a typo inside a multi-line array is reported at its own
    line, not the key's (issue 25). Strings (multi-line ones included) and comments are
    skipped, so a line inside a string is never read as a key."""
    index: dict[str, int] = {}
    scan = _ValueScan(text, index)
    arrays: dict[str, int] = {}
    table = ""
    header = re.compile(r"\s*\[{1,2}\s*([^\]]+?)\s*\]{1,2}")
    assign = re.compile(r"""\s*("[^"]+"|'[^']+'|[A-Za-z0-9_.-]+)\s*=""")
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        number = scan.line(pos)
        if match := header.match(text, pos, end):
            table = match.group(1).replace('"', "").replace("'", "")
            if table.startswith("tool.brandaudit"):
                table = table[len("tool.brandaudit") :].lstrip(".")
            index.setdefault(table, number)
            if text[pos:end].lstrip().startswith("[["):  # [[people]] -> people.0, ...
                count = arrays[table] = arrays.get(table, -1) + 1
                table = f"{table}.{count}"
                index.setdefault(table, number)
        elif match := assign.match(text, pos, end):
            key = match.group(1).strip("\"'")
            dotted = f"{table}.{key}" if table else key
            index.setdefault(dotted, number)
            try:
                after = scan.value(match.end(), dotted)
            except RecursionError:  # nesting deeper than Python's stack: keep what we have
                return index
            end = text.find("\n", after)
            end = len(text) if end < 0 else end
        pos = end + 1
    return index


class _ValueScan:
    """Walks one TOML value from an offset, recording where each element starts (a helper of
    ``line_index``; the text already parsed with tomllib, so it only has to be forgiving)."""

    def __init__(self, text: str, index: dict[str, int]) -> None:
        self.text = text
        self.index = index
        self.newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    def line(self, pos: int) -> int:
        import bisect

        return bisect.bisect_left(self.newlines, pos) + 1

    def _blank(self, pos: int, *, newlines: bool) -> int:
        """Past spaces, and (inside brackets) newlines and comments."""
        text = self.text
        while pos < len(text):
            ch = text[pos]
            if ch in " \t\r" or (newlines and ch == "\n"):
                pos += 1
            elif newlines and ch == "#":
                end = text.find("\n", pos)
                pos = len(text) if end < 0 else end
            else:
                break
        return pos

    def _string(self, pos: int) -> int:
        """Past the string starting at ``pos``."""
        text = self.text
        quote = text[pos]
        if text.startswith(quote * 3, pos):
            end = pos + 3
            while True:
                end = text.find(quote * 3, end)
                if end < 0:
                    return len(text)
                if quote == '"' and _escaped(text, end):
                    end += 1
                    continue
                end += 3
                while end < len(text) and text[end] == quote:  # """a"""" ends at the last
                    end += 1
                return end
        end = pos + 1
        while end < len(text) and text[end] != "\n":
            if text[end] == quote and not (quote == '"' and _escaped(text, end)):
                return end + 1
            end += 1
        return end

    def value(self, pos: int, path: str) -> int:
        """Past the value at ``pos`` (after ``=`` or inside brackets), recording ``path``."""
        text = self.text
        pos = self._blank(pos, newlines=False)
        if pos >= len(text):
            return pos
        self.index.setdefault(path, self.line(pos))
        ch = text[pos]
        if ch in "\"'":
            return self._string(pos)
        if ch == "[":
            return self._array(pos + 1, path)
        if ch == "{":
            return self._table(pos + 1, path)
        while pos < len(text) and text[pos] not in ",]}\n#":
            pos += 1
        return pos

    def _array(self, pos: int, path: str) -> int:
        text = self.text
        number = 0
        while True:
            pos = self._blank(pos, newlines=True)
            if pos >= len(text) or text[pos] == "]":
                return pos + 1
            pos = self._blank(self.value(pos, f"{path}.{number}"), newlines=True)
            number += 1
            if pos < len(text) and text[pos] == ",":
                pos += 1
            elif pos >= len(text) or text[pos] != "]":
                return pos  # not TOML we understand: stop here

    def _table(self, pos: int, path: str) -> int:
        text = self.text
        key_at = re.compile(r"""\s*("[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_.-]+)\s*=""")
        while True:
            pos = self._blank(pos, newlines=True)
            if pos >= len(text) or text[pos] == "}":
                return pos + 1
            match = key_at.match(text, pos)
            if match is None:
                return pos
            key = ".".join(part.strip().strip("\"'") for part in match.group(1).split("."))
            self.index.setdefault(f"{path}.{key}", self.line(match.start(1)))
            pos = self._blank(self.value(match.end(), f"{path}.{key}"), newlines=True)
            if pos < len(text) and text[pos] == ",":
                pos += 1
            elif pos >= len(text) or text[pos] != "}":
                return pos


def _escaped(text: str, pos: int) -> bool:
    """Whether the character at ``pos`` follows an odd number of backslashes."""
    count = 0
    while pos - count - 1 >= 0 and text[pos - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("file not found", path=str(path)) from None
    except IsADirectoryError:
        raise ConfigError("is a directory, not a file", path=str(path)) from None
    except UnicodeDecodeError:
        raise ConfigError("is not UTF-8 text", path=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot be read ({exc.strerror})", path=str(path)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python < 3.14 has no ``lineno`` on the exception; the message ends "(at line N, ...)".
        line = getattr(exc, "lineno", None)
        if line is None and (found := re.search(r"\(at line (\d+)", str(exc))):
            line = int(found.group(1))
        message = str(exc).split(" (at line", 1)[0]
        raise ConfigError(f"invalid TOML: {message}", path=str(path), line=line) from None
    return data, text


def find_config(cwd: Path) -> tuple[Path, bool] | None:
    """The config to use when none is given: ``./brandaudit.toml``, else ``pyproject.toml``
    with a ``[tool.brandaudit]`` table. Returns (path, is_pyproject)."""
    candidate = cwd / CONFIG_FILENAME
    if candidate.is_file():
        return candidate, False
    pyproject = cwd / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return None
        tool = data.get("tool")
        if isinstance(tool, dict) and "brandaudit" in tool:
            return pyproject, True
    return None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'mastodon'?)`` for a near miss among ``choices``, else ``""``."""
    import difflib

    close = difflib.get_close_matches(word.lower(), sorted(set(choices)), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _split_claims(
    raw: Any, path: str, lines: Mapping[str, int]
) -> tuple[dict[str, str], list[str]]:
    if not isinstance(raw, dict):
        raise ConfigError("must be a table", path=path, key="claims", line=lines.get("claims"))
    claims: dict[str, str] = {}
    optional: list[str] = []
    for key, value in raw.items():
        if key == "optional":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(
                    "must be a list of platform ids",
                    path=path,
                    key="claims.optional",
                    line=lines.get("claims.optional"),
                )
            optional = [v.strip().lower() for v in value]
        elif isinstance(value, str) and value.strip():
            try:
                _validate_input("handle", value)
            except ValueError as exc:
                raise ConfigError(
                    str(exc), path=path, key=f"claims.{key}", line=lines.get(f"claims.{key}")
                ) from None
            # Platform ids are case-insensitive: `GitHub = "acme"` is the github claim.
            claims[key.strip().lower()] = value.strip()
        else:
            raise ConfigError(
                "must be the handle you own on that platform, as a string",
                path=path,
                key=f"claims.{key}",
                line=lines.get(f"claims.{key}"),
            )
    for number, platform in enumerate(optional):
        # `optional = ["mastodn"]` must not silently leave the real claim required.
        if platform not in claims:
            raise ConfigError(
                f"names {platform!r}, which is not a platform in [claims]"
                f"{did_you_mean(platform, claims)}; optional only relaxes a declared claim",
                path=path,
                key="claims.optional",
                line=lines.get(f"claims.optional.{number}", lines.get("claims.optional")),
            )
    return claims, optional


def _known_keys(parent: list[str]) -> list[str]:
    """The keys a config table accepts (``[]`` -> the top level), for "did you mean"."""
    model: type[BaseModel] = Settings
    for part in parent:
        field = model.model_fields.get(part)
        annotation = field.annotation if field is not None else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    hidden = {"source", "source_lines", "optional_claims"}
    return [name for name in model.model_fields if name not in hidden]


def _raise_validation(exc: ValidationError, path: str | None, lines: Mapping[str, int]) -> None:
    error = exc.errors()[0]
    loc = [str(p) for p in error["loc"]]
    dotted = ".".join(loc)
    line = None
    for depth in range(len(loc), 0, -1):
        line = lines.get(".".join(loc[:depth]))
        if line is not None:
            break
    message = error["msg"]
    if error["type"] == "value_error":
        message = message.removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key" + did_you_mean(loc[-1] if loc else "", _known_keys(loc[:-1]))
    raise ConfigError(message, path=path, key=dotted or None, line=line) from None


def settings_from_mapping(
    data: Mapping[str, Any], *, source: str | None = None, lines: Mapping[str, int] | None = None
) -> Settings:
    """Validate a parsed config table (the top level of brandaudit.toml)."""
    lines = dict(lines or {})
    payload: dict[str, Any] = dict(data)
    if "claims" in payload:
        raw_claims = payload.pop("claims")
        if isinstance(raw_claims, dict):
            for key in raw_claims:  # ids are case-insensitive; keep the line under the id
                if f"claims.{key}" in lines:
                    lines.setdefault(f"claims.{key.strip().lower()}", lines[f"claims.{key}"])
        claims, optional = _split_claims(raw_claims, source or "config", lines)
        payload["claims"] = claims
        payload["optional_claims"] = frozenset(optional)
    try:
        return Settings.model_validate({**payload, "source": source, "source_lines": lines})
    except ValidationError as exc:
        _raise_validation(exc, source, lines)
        raise  # pragma: no cover - _raise_validation always raises


def load_file(path: Path, *, is_pyproject: bool | None = None) -> Settings:
    data, text = _file_data(path, is_pyproject)
    return settings_from_mapping(data, source=str(path), lines=line_index(text))


def _file_data(path: Path, is_pyproject: bool | None) -> tuple[dict[str, Any], str]:
    """The brandaudit table of a config file (``[tool.brandaudit]`` of a pyproject.toml) and
    the file's text, not validated yet."""
    data, text = _read_toml(path)
    if is_pyproject is None:
        is_pyproject = path.name == "pyproject.toml"
    if is_pyproject:
        tool = data.get("tool", {})
        data = tool.get("brandaudit", {}) if isinstance(tool, dict) else {}
        if not isinstance(data, dict):
            raise ConfigError("[tool.brandaudit] must be a table", path=str(path))
    return data, text


TRUST_CONFIG_NETWORK = "BRANDAUDIT_TRUST_CONFIG_NETWORK"
"""The opt-in, outside the file, that lets a config file route requests."""
_ROUTING_KEYS = ("origin_map", "nameservers", "allow_private_network")


def _is_on(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def check_file_routing(settings: Settings, env: Mapping[str, str]) -> None:
    """Refuse network routing set by a config file unless ``BRANDAUDIT_TRUST_CONFIG_NETWORK``
    is on. A config file often comes from a pull request; ``origin_map``, ``nameservers`` or
    ``allow_private_network`` in it would send requests, with the tokens of the environment,
    wherever its author likes (``https://api.github.com`` -> ``http://attacker``), or reach
    the runner's private network. The environment and flags are the user's own."""
    if not settings.source or _is_on(env.get(TRUST_CONFIG_NETWORK)):
        return
    network = settings.network
    routing = {
        "origin_map": bool(network.origin_map),
        "nameservers": bool(network.nameservers),
        "allow_private_network": network.allow_private_network,
    }
    for key in _ROUTING_KEYS:
        if routing[key]:
            raise ConfigError(
                "network routing from a config file needs an opt-in outside it "
                f"({TRUST_CONFIG_NETWORK}=1), or set it in the environment or on the command "
                "line instead: a config file (from a pull request, say) must not be able to "
                "send requests and tokens elsewhere (see SECURITY.md)",
                path=settings.source,
                key=f"network.{key}",
                line=settings.source_lines.get(f"network.{key}"),
            )


def _env_overrides(env: Mapping[str, str]) -> dict[str, Any]:
    from brandaudit.origin_map import parse_origin_map_env

    network: dict[str, Any] = {}
    if value := env.get("BRANDAUDIT_ORIGIN_MAP", "").strip():
        network["origin_map"] = parse_origin_map_env(value)
    if value := env.get("BRANDAUDIT_NAMESERVERS", "").strip():
        network["nameservers"] = [v.strip() for v in value.split(",") if v.strip()]
    if value := env.get("BRANDAUDIT_ALLOW_PRIVATE_NETWORK", "").strip():
        network["allow_private_network"] = value.lower() in {"1", "true", "yes", "on"}
    if value := env.get("BRANDAUDIT_NO_CACHE", "").strip():
        network["cache"] = value.lower() not in {"1", "true", "yes", "on"}
    if value := env.get("BRANDAUDIT_TIMEOUT", "").strip():
        # As --timeout (the flag reads the same variable): connecting, then each read.
        network["connect_timeout"] = network["read_timeout"] = value
    for var, key in (
        ("BRANDAUDIT_DEADLINE", "deadline"),
        ("BRANDAUDIT_CONCURRENCY", "concurrency"),
        ("BRANDAUDIT_PER_HOST", "per_host"),
        ("BRANDAUDIT_BRAND_DEADLINE", "brand_deadline"),
        ("BRANDAUDIT_CACHE_DIR", "cache_dir"),
        ("BRANDAUDIT_ENGINE", "engine"),
    ):
        if value := env.get(var, "").strip():
            network[key] = value
    return network


def resolve(
    *,
    config_path: Path | None,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    network_overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Build the run's Settings: file, then environment, then flags."""
    env = os.environ if env is None else env
    cwd = Path.cwd() if cwd is None else cwd
    if config_path is None and (value := env.get("BRANDAUDIT_CONFIG", "").strip()):
        config_path = Path(value)
    found = (config_path, None) if config_path is not None else find_config(cwd)
    file = _file_data(*found) if found else None
    try:
        env_network = _env_overrides(env)
    except ValueError as exc:
        raise ConfigError(str(exc), key="environment") from None
    flags = {k: v for k, v in (network_overrides or {}).items() if v is not None}
    raw_network = file[0].get("network") if file else None
    file_network = raw_network if isinstance(raw_network, dict) else {}
    _use_cache_settings({**file_network, **env_network, **flags})
    if found and file:
        settings = settings_from_mapping(file[0], source=str(found[0]), lines=line_index(file[1]))
    else:
        settings = Settings()
    check_file_routing(settings, env)
    network = settings.network.model_dump()
    network.update(env_network)
    network.update(flags)
    try:
        new_network = NetworkSettings.model_validate(network)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = "network." + ".".join(str(p) for p in error["loc"])
        raise ConfigError(error["msg"], key=key) from None
    settings = settings.model_copy(
        update={"network": new_network, "adapters": _env_adapters(settings.adapters, env)}
    )
    from brandaudit.redact import register

    for secret in settings.credentials.values():
        register(secret.get_secret_value())
    return settings


def _use_cache_settings(network: Mapping[str, Any]) -> None:
    """Point the public-suffix table at the run's cache folder, or nowhere with the cache off,
    before the config's domains are read (``handles.use_cache_folder``). ``network`` is the
    raw ``[network]`` values, environment and flags merged; the validation comes after."""
    from brandaudit.handles import use_cache_folder

    enabled = network.get("cache", True)
    if enabled is False or (isinstance(enabled, str) and enabled.lower() in _FALSE):
        use_cache_folder(None, enabled=False)
        return
    folder = network.get("cache_dir")
    use_cache_folder(Path(folder).expanduser() if isinstance(folder, str) and folder else None)


_FALSE = frozenset({"0", "false", "no", "off"})


def _env_adapters(
    adapters: Mapping[str, dict[str, Any]], env: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    """``[adapters]`` with what the environment sets over it: ``BRANDAUDIT_MASTODON_INSTANCES``
    (comma-separated) is ``[adapters.mastodon] instances``."""
    merged = {k: dict(v) for k, v in adapters.items()}
    if value := env.get("BRANDAUDIT_MASTODON_INSTANCES", "").strip():
        instances = [i.strip() for i in value.split(",") if i.strip()]
        if instances:
            merged.setdefault("mastodon", {})["instances"] = instances
    return merged


def plugin_allow_list(env: Mapping[str, str] | None = None) -> frozenset[str] | None:
    """``BRANDAUDIT_LOAD_PLUGINS=id,id``: the only plugins to load (None: every plugin).

    Read before any Settings exist (``--version`` lists plugins), so not a Settings field."""
    value = (os.environ if env is None else env).get("BRANDAUDIT_LOAD_PLUGINS", "").strip()
    if not value:
        return None
    return frozenset(a.strip() for a in value.split(",") if a.strip())


def history_db(env: Mapping[str, str] | None = None) -> Path | None:
    """``BRANDAUDIT_DB``: the history store when ``--db`` is not given (None: unset)."""
    value = (os.environ if env is None else env).get("BRANDAUDIT_DB", "").strip()
    return Path(value) if value else None
