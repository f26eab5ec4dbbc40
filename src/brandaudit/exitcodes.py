"""The documented exit codes. Only the CLI (``brandaudit.cli``) turns these into a process exit."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes, as documented in README.md and ``brandaudit --help``."""

    OK = 0
    """Everything required passed (or nothing was required)."""
    FINDINGS = 1
    """A required claim fails."""
    USAGE = 2
    """Usage, configuration or input error."""
    INCONCLUSIVE = 3
    """A required check could not be decided, or a plugin failed to load."""
    INTERNAL = 4
    """An unexpected internal error (a bug: please report it)."""
    INTERRUPTED = 130
    """Interrupted by Ctrl-C (SIGINT)."""
    TERMINATED = 143
    """Terminated by SIGTERM."""


EXIT_CODE_HELP = """\
Exit codes: 0 ok; 1 findings (a required claim fails); 2 usage, config or input error;
3 inconclusive (a required check could not be decided); 4 internal error;
130 interrupted (Ctrl-C); 143 terminated (SIGTERM)."""
