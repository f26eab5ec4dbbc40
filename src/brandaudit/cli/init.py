"""``brandaudit init``: write a commented starter ``brandaudit.toml``.

It never overwrites a file without ``--force``, writes atomically, and the file it writes
loads cleanly (a test holds it to that).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from brandaudit.cli.common import guarded
from brandaudit.errors import InputError

TEMPLATE = """\
# brandaudit configuration. Reference: https://github.com/brandaudit/brandaudit#configuration
# Precedence: built-in defaults < this file < BRANDAUDIT_* environment variables < flags.
# Run it with:  brandaudit check

[brand]
# The brand's main domain: the default handle is derived from it (acme.com -> acme), and it
# is checked as a Bluesky domain handle.
{domain_line}
# name = "Acme"
# More domains of the same brand, each audited too:
# domains = ["acme.co.uk"]
# Handles to check on every platform instead of the derived one:
# handles = ["acme", "acmehq"]

[claims]
# The handles the brand owns, by platform id ('brandaudit platforms' lists the ids).
# 'brandaudit check' exits 1 when a declared claim fails and 3 when it can't be decided.
# github = "acme"
# mastodon = "acme"
# bluesky = "{bluesky}"        # a domain handle passes only when it fully verifies
# Claims to report without failing the run:
# optional = ["mastodon"]

# [policy]
# min_score = 60            # exit 1 when the readiness score is below this (--fail-under)

# [network]
# deadline = 20             # seconds allowed for one check, all its requests included
# connect_timeout = 5       # seconds
# read_timeout = 5          # seconds
# concurrency = 64          # requests in flight
# per_host = 6              # requests in flight to one host
# nameservers = ["9.9.9.9"] # resolvers for brandaudit's own DNS queries (_atproto TXT)

# [adapters.mastodon]
# instances = ["mastodon.social", "fosstodon.org"]

# A platform of your own, described by the answers that decide it: a verdict needs the whole
# signal (status and every marker); anything else is reported as unknown.
# [platforms.examplesocial]
# name = "Example Social"
# url = "https://example.social/@{{handle}}"                 # profile link shown in reports
# check_url = "https://example.social/api/users/{{handle}}"  # optional, defaults to url
# handle_pattern = "^[a-z0-9_]{{3,20}}$"
# claimed = {{ status = [200], body_contains = ['"id":'] }}
# available = {{ status = [404], body_contains = ["Not Found"] }}
"""


def starter_config(domain: str | None = None) -> str:
    """The starter file's text; ``domain`` (normalised) pre-fills ``[brand] domain``."""
    if domain:
        from brandaudit.handles import normalise_domain

        value = normalise_domain(domain).value
        return TEMPLATE.format(domain_line=f'domain = "{value}"', bluesky=value)
    return TEMPLATE.format(domain_line='# domain = "acme.com"', bluesky="acme.com")


def write_starter(target: Path, domain: str | None, force: bool, *, folder: bool = False) -> Path:
    from brandaudit.config import CONFIG_FILENAME
    from brandaudit.sinks import write_atomic

    # A folder: an existing one, or a path written with a trailing slash (``--path cfg/``),
    # which is created. Anything else names the file itself.
    as_folder = folder or target.is_dir()
    path = target / CONFIG_FILENAME if as_folder else target
    if path.exists() and not force:
        raise InputError(f"{path} already exists; pass --force to overwrite it")
    if as_folder and not target.is_dir():
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create the folder {target}: {exc.strerror}") from None
    write_atomic(path, starter_config(domain))
    return path


def next_command(written: Path) -> str:
    """The command to run next: plain ``brandaudit check`` only where it finds the file."""
    from brandaudit.config import CONFIG_FILENAME

    try:
        here = written.resolve().parent == Path.cwd().resolve()
    except OSError:
        here = False
    if here and written.name == CONFIG_FILENAME:
        return "brandaudit check"
    import shlex

    return f"brandaudit check -c {shlex.quote(str(written))}"


def init(
    path: Annotated[
        str,
        typer.Option(
            "--path",
            metavar="PATH",
            help="Folder to write brandaudit.toml into (created when written with a trailing "
            "slash, e.g. config/), or the file to write.",
            show_default="the current folder",
        ),
    ] = ".",
    domain: Annotated[
        str | None,
        typer.Option("--domain", "-d", help="Pre-fill [brand] domain, e.g. acme.com."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter brandaudit.toml (never overwrites without --force).

    \b
    Examples:
      brandaudit init --domain acme.com
      brandaudit init --path config/ --force
    """

    def body() -> int:
        if not path.strip():
            raise InputError("--path is empty")
        folder = path.endswith(("/", os.sep))
        written = write_starter(Path(path), domain, force, folder=folder)
        typer.echo(f"wrote {written}; edit it, then run: {next_command(written)}", err=True)
        return 0

    raise typer.Exit(guarded(body))
