"""The one interface every report format implements, and the registry that finds it.

A format is one module under ``render/`` with a module-level ``RENDERER``. The registry
(``renderer_for``) names each format's module and imports it only when that format is
rendered, so a ``-f json`` run never loads rich, Jinja2 or the SARIF rules. ``module_for`` is
an exhaustive ``match`` over ``Format``: a new member without a module fails ``mypy``, and
``tests/render/test_registry.py`` walks every member.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, assert_never, runtime_checkable

if TYPE_CHECKING:
    from brandaudit.model import Report
    from brandaudit.render.options import RenderOptions


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    SARIF = "sarif"
    JUNIT = "junit"
    JSONL = "jsonl"
    """One ``Brand.model_dump_json()`` per line; ``check`` streams it (see ``batch``)."""
    HTML = "html"
    """One self-contained page to send a client (``render.html``)."""


@runtime_checkable
class Renderer(Protocol):
    """A pure function from a report to text: no network, no clock (the report carries
    ``generated_at``), no file or stream; the caller writes what it returns."""

    @property
    def format(self) -> Format:
        """The format this renderer writes."""
        ...

    @property
    def is_json(self) -> bool:
        """The text is JSON (stdout then keeps it parseable under GitHub Actions)."""
        ...

    def render(self, report: Report, options: RenderOptions) -> str:
        """The whole report in this format, ending with a newline."""
        ...


@dataclass(frozen=True, slots=True)
class FunctionRenderer:
    """A ``Renderer`` made of a format's render function (what every built-in format is)."""

    format: Format
    function: Callable[[Report, RenderOptions], str]
    is_json: bool = False

    def render(self, report: Report, options: RenderOptions) -> str:
        return self.function(report, options)


def module_for(fmt: Format) -> str:
    """The module that holds ``fmt``'s ``RENDERER`` (imported only when it is used)."""
    match fmt:
        case Format.TABLE:
            return "brandaudit.render.table"
        case Format.JSON:
            return "brandaudit.render.json"
        case Format.MARKDOWN:
            return "brandaudit.render.markdown"
        case Format.SARIF:
            return "brandaudit.render.sarif"
        case Format.JUNIT:
            return "brandaudit.render.junit"
        case Format.JSONL:
            return "brandaudit.render.jsonl"
        case Format.HTML:
            return "brandaudit.render.html"
        case _:
            assert_never(fmt)


def renderer_for(fmt: Format) -> Renderer:
    """``fmt``'s renderer, its module imported on first use."""
    renderer = importlib.import_module(module_for(fmt)).RENDERER
    if not isinstance(renderer, Renderer) or renderer.format is not fmt:
        raise TypeError(f"{module_for(fmt)}.RENDERER does not render {fmt.value}")
    return renderer
