"""Configuration: ``[tool.mtcheck]`` in pyproject.toml or a ``mtcheck.toml``, plus CLI overrides.

Selection follows ruff: codes are chosen by prefix (``MT1`` is every casing rule), and where a
code matches both lists the longer prefix wins, so ``select = ["MT"]`` with ``ignore = ["MT2"]``
drops spacing, and ``ignore = ["MT2"]`` with ``select = ["MT203"]`` keeps MT203.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from mtcheck.model import Severity

CONFIG_FILES = ("mtcheck.toml", ".mtcheck.toml", "pyproject.toml")


class ConfigError(ValueError):
    """A configuration file or option that cannot be used."""


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ("MT",)
    ignore: tuple[str, ...] = ()
    severity: Severity = Severity.MINOR
    lang: str | None = None
    src_lang: str | None = None
    # House style: names to accept and to capitalise, and preferred spellings.
    names: tuple[str, ...] = ()
    prefer: tuple[tuple[str, str], ...] = ()
    lm: bool = True
    path: str | None = None  # where it was read from, for messages

    def selects(self, code: str) -> bool:
        return _selects(self.select, self.ignore, code)

    def house_names(self) -> dict[str, str]:
        """Lowercase form -> house spelling, for single words of the house-style names."""
        out: dict[str, str] = {}
        for name in self.names:
            for part in name.split():
                if part.lower() != part:
                    out[part.lower()] = part
        for _, good in self.prefer:
            if " " not in good and good.lower() != good:
                out[good.lower()] = good
        return out

    def merged(self, **overrides: Any) -> Config:
        """A copy with the CLI's options on top; None means "keep the file's value"."""
        clean = {k: v for k, v in overrides.items() if v is not None}
        for key in ("select", "ignore"):
            if key in clean:
                clean[key] = _codes(clean[key])
        if "severity" in clean:
            clean["severity"] = Severity.parse(clean["severity"])
        return replace(self, **clean)


@lru_cache(maxsize=4096)
def _selects(select: tuple[str, ...], ignore: tuple[str, ...], code: str) -> bool:
    """Memoised: every finding of every text asks."""
    sel = max((len(p) for p in select if code.startswith(p)), default=-1)
    ign = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    return sel >= 0 and sel > ign


def _codes(values: Iterable[str] | str) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    out = []
    for v in values:
        for part in str(v).split(","):
            part = part.strip().upper()
            if part:
                if not part.startswith("MT") and part != "ALL":
                    raise ConfigError(f"invalid rule code or prefix {part!r} (codes look like MT101 or MT1)")
                out.append("MT" if part == "ALL" else part)
    return tuple(out)


def from_mapping(data: Mapping[str, Any], path: str | None = None) -> Config:
    known = {"select", "ignore", "severity", "lang", "src-lang", "house-style", "lm"}
    unknown = set(data) - known
    if unknown:
        raise ConfigError(
            f"{path or 'config'}: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}"
        )
    house = data.get("house-style", {}) or {}
    if not isinstance(house, Mapping):
        raise ConfigError(f"{path or 'config'}: house-style must be a table")
    prefer = house.get("prefer", {}) or {}
    try:
        return Config(
            select=_codes(data.get("select", ["MT"])),
            ignore=_codes(data.get("ignore", [])),
            severity=Severity.parse(data.get("severity", "minor")),
            lang=data.get("lang"),
            src_lang=data.get("src-lang"),
            names=tuple(str(n) for n in house.get("names", [])),
            prefer=tuple((str(k), str(v)) for k, v in dict(prefer).items()),
            lm=bool(data.get("lm", True)),
            path=path,
        )
    except ValueError as exc:
        raise ConfigError(f"{path or 'config'}: {exc}") from None


def read_file(path: Path) -> Config:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("mtcheck", {})
    return from_mapping(data, str(path))


def discover(start: Path) -> Path | None:
    """The nearest mtcheck.toml, or pyproject.toml with a [tool.mtcheck] table, upwards."""
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else [start.parent, *start.parent.parents]:
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                if name != "pyproject.toml":
                    return candidate
                try:
                    if "mtcheck" in tomllib.loads(candidate.read_text(encoding="utf-8")).get("tool", {}):
                        return candidate
                except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                    continue
    return None


def load(explicit: str | None = None, start: Path | None = None) -> Config:
    if explicit:
        p = Path(explicit)
        if not p.is_file():
            raise ConfigError(f"config file not found: {explicit}")
        return read_file(p)
    found = discover(start or Path.cwd())
    return read_file(found) if found else Config()


__all__ = ["Config", "ConfigError", "field", "from_mapping", "load"]
