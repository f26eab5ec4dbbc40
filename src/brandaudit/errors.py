"""Exception tree. Every error a user can cause is a ``BrandauditError`` with a one-line message."""

from __future__ import annotations

from brandaudit.exitcodes import ExitCode


class BrandauditError(Exception):
    """Base class: the message is shown to the user as one line."""

    exit_code: ExitCode = ExitCode.USAGE


class InputError(BrandauditError):
    """A command-line argument or input file is invalid."""


class ConfigError(BrandauditError):
    """The configuration file or environment is invalid."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        key: str | None = None,
        line: int | None = None,
    ) -> None:
        where = ""
        if path:
            where = path
            if line is not None:
                where += f":{line}"
            where += ": "
        if key:
            where += f"{key}: "
        super().__init__(f"{where}{message}")
        self.path = path
        self.key = key
        self.line = line


class PluginLoadError(BrandauditError):
    """A platform plugin could not be loaded; names the distribution that provides it."""

    exit_code = ExitCode.INCONCLUSIVE

    def __init__(self, distribution: str, entry_point: str, cause: BaseException) -> None:
        super().__init__(
            f"plugin {entry_point!r} from package {distribution!r} failed to load: "
            f"{type(cause).__name__}: {cause}"
        )
        self.distribution = distribution
        self.entry_point = entry_point


class OutputError(BrandauditError):
    """An output file could not be written."""
