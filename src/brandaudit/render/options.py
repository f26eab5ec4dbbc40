"""What a renderer is told besides the report (colour, width, config locations, exit code)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from brandaudit.model import Change


@dataclass(frozen=True, slots=True)
class RenderOptions:
    color: bool = False
    width: int | None = None
    config_path: str | None = None
    """The config file, as SARIF/annotations should name it (relative to the repository)."""
    config_lines: Mapping[str, int] = field(default_factory=dict)
    """Dotted config key -> line, for locations of findings not tied to a claim."""
    exit_code: int | None = None
    """The run's exit code, for the summary line (None: the line says no code)."""
    min_score: int | None = None
    """``--fail-under`` / ``[policy] min_score``, for the summary line and batch table."""
    sarif_category: str | None = None
    """SARIF ``automationDetails.id`` (upload-sarif's ``category``); default ``brandaudit/``."""
    input_path: str | None = None
    """The ``--input`` file, as SARIF should name it, when brands came from one."""
    input_lines: Mapping[str, int] = field(default_factory=dict)
    """Domain -> its line in the ``--input`` file."""
    trend: Mapping[str, tuple[int | None, ...]] = field(default_factory=dict)
    """Domain -> its score in each saved run, oldest first (``--db``), for the HTML trend."""
    since_last: Mapping[str, tuple[Change, ...]] = field(default_factory=dict)
    """Domain -> its changes against the last saved run (``--db`` without ``--baseline``),
    for the HTML's "Since the last run"; a brand's own ``changes`` (``--baseline``) win."""
    sarif_location: str | None = None
    """The repository file SARIF results point at when neither the config file nor the input
    file declares them (``--sarif-location``, else the running workflow in GitHub Actions)."""
