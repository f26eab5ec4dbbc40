"""brandaudit: audit a brand's presence across social platforms.

The package root only exposes the version, so ``import brandaudit`` stays cheap: the version
is a literal (hatch reads it from here for the wheel's metadata), not an
``importlib.metadata`` look-up, which alone costs more than the whole ``--version`` budget.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
