"""mtcheck: finds the artefacts that machine translation leaves in news articles, and fixes them.

    >>> import mtcheck
    >>> findings = mtcheck.check("They met in kyiv on Tuesday.", lang="en")
    >>> mtcheck.fix("They met in kyiv on Tuesday.", findings)
    'They met in Kyiv on Tuesday.'

Nothing heavy is imported here: the checks and their word lists load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mtcheck.model import Applicability, Finding, Fix, Severity

__version__ = "0.1.0"
__all__ = ["Applicability", "Config", "Finding", "Fix", "Severity", "__version__", "check", "fix"]

if TYPE_CHECKING:
    from mtcheck.api import check, fix
    from mtcheck.config import Config


def __getattr__(name: str) -> Any:
    if name in ("check", "fix"):
        from mtcheck import api

        return getattr(api, name)
    if name == "Config":
        from mtcheck.config import Config

        return Config
    raise AttributeError(name)
