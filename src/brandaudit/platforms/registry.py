"""Find, load and validate adapters from the ``brandaudit.platforms`` entry-point group.

Built-in adapters are registered through the same group as third-party plugins. A plugin that
fails to load becomes a warning naming its package, never a crash. ``BRANDAUDIT_LOAD_PLUGINS``
(comma-separated ids) restricts which entry points load, for reproducible CI runs.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING

from brandaudit.errors import ConfigError, InputError, PluginLoadError

if TYPE_CHECKING:
    from brandaudit.config import Settings
    from brandaudit.platforms.base import Adapter

GROUP = "brandaudit.platforms"
_ID = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


@dataclass(slots=True)
class Registry:
    adapters: dict[str, Adapter] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def check_known(self, ids: Iterable[str]) -> None:
        """Raise ``InputError`` naming the first id no adapter has, and the known ones."""
        for wanted in ids:
            if wanted not in self.adapters:
                known = ", ".join(sorted(self.adapters))
                raise InputError(f"unknown platform {wanted!r}; known: {known}")

    def select(self, ids: list[str] | None) -> list[Adapter]:
        """The adapters named by ``ids`` (without ids, every one that runs by default);
        unknown ids are refused."""
        if not ids:
            return [a for a in self.adapters.values() if a.in_default_run()]
        self.check_known(ids)
        return [self.adapters[i] for i in ids]


def _distribution(ep: EntryPoint) -> tuple[str, str]:
    dist = getattr(ep, "dist", None)
    if dist is None:
        return "unknown package", ""
    return str(dist.metadata["Name"]), str(dist.version)


def find_entry_points() -> list[EntryPoint]:
    """Entry points of the group (built-ins, then plugins, each by name), without importing."""
    # Built-ins first, so a plugin can never take a built-in's platform id.
    found = sorted(entry_points(group=GROUP), key=lambda ep: (not _is_builtin(ep), ep.name))
    from brandaudit.config import plugin_allow_list

    wanted = plugin_allow_list()
    if wanted is not None:
        found = [ep for ep in found if ep.name in wanted or _is_builtin(ep)]
    return found


def _is_builtin(ep: EntryPoint) -> bool:
    return ep.value.startswith("brandaudit.platforms.builtin.")


def load_entry_point(ep: EntryPoint) -> type[Adapter]:
    from brandaudit.platforms.base import Adapter  # here: `--version` lists plugins without it

    # The package name is read only for an error: reading it costs a metadata parse per entry.
    try:
        obj = ep.load()
    except Exception as exc:
        raise PluginLoadError(_distribution(ep)[0], ep.name, exc) from exc
    if not (isinstance(obj, type) and issubclass(obj, Adapter)):
        error = TypeError(f"{ep.value} is not an Adapter subclass")
        raise PluginLoadError(_distribution(ep)[0], ep.name, error)
    problems = validate_adapter_class(obj)
    if problems:
        raise PluginLoadError(_distribution(ep)[0], ep.name, ValueError("; ".join(problems)))
    return obj


def validate_adapter_class(cls: type[Adapter]) -> list[str]:
    problems = []
    for attr in ("id", "name", "methods", "rule", "profile_template"):
        if not hasattr(cls, attr):
            problems.append(f"missing class attribute {attr!r}")
    if problems:
        return problems
    if not _ID.match(cls.id):
        problems.append(f"id {cls.id!r} must be lowercase letters, digits, '_' or '-'")
    if "{handle}" not in cls.profile_template:
        problems.append("profile_template must contain {handle}")
    return problems


def check_options(cls: type[Adapter], settings: Settings) -> None:
    """Refuse a key of ``[adapters.<id>]`` the adapter doesn't declare (``Adapter.options``):
    ``instancs`` for ``instances`` was silently ignored (issue 25)."""
    declared = getattr(cls, "options", None)
    table = settings.adapters.get(getattr(cls, "id", ""))
    if declared is None or not isinstance(table, dict):
        return
    for key in table:
        if key not in declared:
            from brandaudit.config import did_you_mean

            dotted = f"adapters.{cls.id}.{key}"
            raise ConfigError(
                f"unknown key{did_you_mean(key, declared)}; [adapters.{cls.id}] takes "
                + ", ".join(declared),
                path=settings.source,
                key=dotted,
                line=settings.line_of(dotted),
            )


def load(settings: Settings, only: Collection[str] | None = None) -> Registry:
    """Every adapter for this run: entry points (built-ins and plugins), then user-defined.

    ``only`` (platform ids) skips the built-ins it does not name, so a ``-p github`` run does
    not import the 22 other built-in modules: a built-in's entry-point name is its platform
    id (a test holds them to it). Plugins always load (their id is known only once loaded),
    and a user-defined platform still may not take a skipped built-in's id."""
    registry = Registry()
    found = find_entry_points()
    builtin_ids = {ep.name for ep in found if _is_builtin(ep)}
    for ep in found:
        if only is not None and _is_builtin(ep) and ep.name not in only:
            continue
        try:
            cls = load_entry_point(ep)
            check_options(cls, settings)
            adapter = cls.from_settings(settings)
        except ConfigError:
            raise  # the user's config is wrong, not the plugin: exit 2 with the line
        except PluginLoadError as exc:
            registry.warnings.append(str(exc))
            continue
        except Exception as exc:
            dist, _ = _distribution(ep)
            registry.warnings.append(str(PluginLoadError(dist, ep.name, exc)))
            continue
        if adapter.id in registry.adapters:
            dist, _ = _distribution(ep)
            registry.warnings.append(
                f"plugin {ep.name!r} from package {dist!r} ignored: platform id {adapter.id!r} "
                "is already registered"
            )
            continue
        registry.adapters[adapter.id] = adapter
    from brandaudit.platforms.custom import load_custom

    for custom in load_custom(settings, taken=set(registry.adapters) | builtin_ids):
        registry.adapters[custom.id] = custom
    return registry
