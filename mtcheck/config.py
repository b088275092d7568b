"""Configuration: ``[tool.mtcheck]`` in pyproject.toml or a ``mtcheck.toml``, plus CLI overrides.

Selection follows ruff: codes are chosen by prefix (``MT1`` is every casing rule), and where a
code matches both lists the longer prefix wins, so ``select = ["MT"]`` with ``ignore = ["MT2"]``
drops spacing, and ``ignore = ["MT2"]`` with ``select = ["MT203"]`` keeps MT203.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
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
    # Added to select: the way to switch on an opt-in rule (named by its full code) and keep
    # every default one.
    extend_select: tuple[str, ...] = ()
    severity: Severity = Severity.MINOR
    lang: str | None = None
    src_lang: str | None = None
    region: str | None = None  # of lang, where one was given ("de-CH": "CH"); see region_of
    # House style: names to accept and to capitalise, and preferred spellings.
    names: tuple[str, ...] = ()
    prefer: tuple[tuple[str, str], ...] = ()
    lm: bool = True
    # Severities lowered where real articles showed a rule's major findings right less than
    # 9 times in 10 (see mtcheck.calibration); False gives each rule's own severity.
    calibrated: bool = True
    model: str | None = None  # --model: a registered name, a local folder or a Hugging Face id
    path: str | None = None  # where it was read from, for messages

    def selects(self, code: str) -> bool:
        """Whether findings of ``code`` are reported. An opt-in rule (one whose precision on
        real articles does not earn it a place by default, or a house style) is selected only
        by its full code in select or extend-select, never by a prefix such as ``MT``."""
        return _selects(self.select + self.extend_select, self.ignore, code, code in _opt_in_codes())

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

    def __post_init__(self) -> None:
        # The API builds configurations by hand: accept what a user would naturally write
        # (a string for one code, a mapping for prefer, "major" for a severity).
        for key in ("select", "ignore", "extend_select", "names"):
            value = getattr(self, key)
            if isinstance(value, str):
                object.__setattr__(self, key, (value,))
        if isinstance(self.prefer, Mapping):
            object.__setattr__(self, "prefer", tuple(self.prefer.items()))
        if isinstance(self.severity, str):
            object.__setattr__(self, "severity", Severity.parse(self.severity))

    def merged(self, **overrides: Any) -> Config:
        """A copy with the CLI's options on top; None means "keep the file's value"."""
        clean = {k: v for k, v in overrides.items() if v is not None}
        for key in ("select", "ignore", "extend_select"):
            if key in clean:
                clean[key] = _codes(clean[key])
        if "severity" in clean:
            clean["severity"] = Severity.parse(clean["severity"])
        if "lang" in clean:
            clean["region"] = region_of(clean["lang"])
        for key in ("lang", "src_lang"):
            if key in clean:
                clean[key] = normalise_lang(clean[key], "--" + key.replace("_", "-"))
        return replace(self, **clean)

    def validate_codes(self, known: list[str]) -> None:
        """Every prefix of select and ignore must name at least one rule: a typo ("MT1O1")
        would otherwise switch every check off without a word."""
        for key in ("select", "ignore", "extend_select"):
            for prefix in getattr(self, key):
                if not any(code.startswith(prefix) for code in known):
                    raise ConfigError(f"{key}: no rule code starts with {prefix!r} (see `mtcheck rules`)")
        if not self.select:
            raise ConfigError("select is empty: it selects no rule")


@lru_cache(maxsize=4096)
def _selects(select: tuple[str, ...], ignore: tuple[str, ...], code: str, opt_in: bool = False) -> bool:
    """Memoised: every finding of every text asks."""
    sel = max((len(p) for p in select if code.startswith(p) and (not opt_in or p == code)), default=-1)
    ign = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    return sel >= 0 and sel > ign


@lru_cache(maxsize=1)
def _opt_in_codes() -> frozenset[str]:
    """The codes of the opt-in rules. Read from the rules themselves (each says why it is off
    by default), imported here and not at the top because the checks import this module."""
    from mtcheck.checks import all_rules

    return frozenset(r.code for r in all_rules() if r.opt_in)


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


def normalise_lang(value: object, what: str = "language") -> str | None:
    """ISO 639 code of a language option: "en", "EN", "en-US" and "en_GB" give "en"."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{what} must be a language code such as en or fr, not {value!r}")
    primary = re.split(r"[-_]", value.strip())[0].lower()
    if not re.fullmatch(r"[a-z]{2,3}", primary):
        raise ConfigError(f"invalid {what} {value!r}: expected an ISO 639 code such as en, fr, de, es")
    if not _is_language(primary):
        raise ConfigError(f"unknown {what} {value!r}: {primary!r} is not an ISO 639 language code")
    return primary


def region_of(value: object) -> str | None:
    """The region of a language tag: "de-CH" and "de_CH" give "CH", "es-419" gives "419";
    "de", a script ("zh-Hans") or anything else gives None."""
    if not isinstance(value, str):
        return None
    m = re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z]{4})?[-_]([A-Za-z]{2}|\d{3})", value.strip())
    return m.group(1).upper() if m else None


def split_lp(value: object) -> tuple[str | None, str | None]:
    """ "zh-en" -> ("zh", "en"); "en" or "en-US" -> (None, "en"); anything else -> unknown."""
    if not isinstance(value, str) or not value.strip():
        return None, None
    if re.fullmatch(r"[A-Za-z]{2,3}[-_][A-Z]{2}", value.strip()):
        value = value.strip()[:-3]  # a locale, "en_US": its language is the target
    parts = value.strip().replace("_", "-").split("-")
    try:
        if len(parts) == 2:
            return normalise_lang(parts[0]), normalise_lang(parts[1])
        if len(parts) == 1:
            return None, normalise_lang(parts[0])
    except ConfigError:
        pass
    return None, None


# Answered without loading pycountry's tables (0.14 s): the languages news is checked in most.
_COMMON = frozenset("en fr de es it pt nl pl cs ru uk zh ja ko ar tr sv da no nb fi hu ro el he hi".split())


@lru_cache(maxsize=256)
def _is_language(code: str) -> bool:
    if code in _COMMON:
        return True
    import pycountry

    found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else pycountry.languages.get(alpha_3=code)
    return found is not None


def _strings(value: object, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{key} must be a list of strings, not {value!r}")


def _table(value: object, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{key} must be a table, not {value!r}")
    return value


def from_mapping(data: Mapping[str, Any], path: str | None = None) -> Config:
    where = path or "config"
    try:
        data = _table(data, "[tool.mtcheck]")
        known = {"select", "extend-select", "ignore", "severity", "lang", "src-lang", "house-style", "lm", "model"}
        known.add("calibrated-severity")
        _no_unknown(data, known, "")
        house = _table(data.get("house-style", {}), "house-style")
        _no_unknown(house, {"names", "prefer"}, "house-style.")
        prefer = _table(house.get("prefer", {}), "house-style.prefer")
        if not all(isinstance(v, str) for v in prefer.values()):
            raise ConfigError("house-style.prefer maps spellings to strings")
        lm = data.get("lm", True)
        if not isinstance(lm, bool):
            raise ConfigError(f"lm must be true or false, not {lm!r}")
        calibrated = data.get("calibrated-severity", True)
        if not isinstance(calibrated, bool):
            raise ConfigError(f"calibrated-severity must be true or false, not {calibrated!r}")
        model = data.get("model")
        if model is not None and (not isinstance(model, str) or not model.strip()):
            raise ConfigError(f"model must be a model name, folder or Hugging Face id, not {model!r}")
        severity = data.get("severity", "minor")
        if not isinstance(severity, str):
            raise ConfigError(f"severity must be minor, major or critical, not {severity!r}")
        return Config(
            select=_codes(_strings(data.get("select", ["MT"]), "select")),
            ignore=_codes(_strings(data.get("ignore", []), "ignore")),
            extend_select=_codes(_strings(data.get("extend-select", []), "extend-select")),
            severity=Severity.parse(severity),
            lang=normalise_lang(data.get("lang"), "lang"),
            src_lang=normalise_lang(data.get("src-lang"), "src-lang"),
            region=region_of(data.get("lang")),
            names=_strings(house.get("names", []), "house-style.names"),
            prefer=tuple(prefer.items()),
            lm=lm,
            calibrated=calibrated,
            model=model,
            path=path,
        )
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _no_unknown(data: Mapping[str, Any], known: set[str], prefix: str) -> None:
    unknown = set(data) - known
    if unknown:
        names = ", ".join(prefix + k for k in sorted(unknown))
        raise ConfigError(f"unknown key(s) {names}; known: {', '.join(prefix + k for k in sorted(known))}")


def read_file(path: Path) -> Config:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("mtcheck", {}) if isinstance(tool, Mapping) else {}
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
                    tool = tomllib.loads(candidate.read_text(encoding="utf-8")).get("tool", {})
                except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                    # A broken pyproject.toml may hold the user's [tool.mtcheck]: never guess.
                    raise ConfigError(f"{candidate}: cannot read: {exc}") from None
                if isinstance(tool, Mapping) and "mtcheck" in tool:
                    return candidate
    return None


def load(explicit: str | None = None, start: Path | None = None) -> Config:
    if explicit:
        p = Path(explicit)
        if not p.is_file():
            raise ConfigError(f"config file not found: {explicit}")
        return read_file(p)
    found = discover(start or Path.cwd())
    return read_file(found) if found else Config()


__all__ = ["Config", "ConfigError", "from_mapping", "load", "normalise_lang", "region_of", "split_lp"]
