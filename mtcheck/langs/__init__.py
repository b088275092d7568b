"""Language profiles: what a check needs to know about a language, as data.

Each language is one folder, ``mtcheck/langs/<code>/``, holding ``profile.yaml`` (its
conventions) and ``examples.yaml`` (correct news sentences written in it, and sentences with the
artefacts machine translation leaves in it). A check asks ``profile(tag)`` instead of branching on
the language code, so that a new language is a new folder.

Where CLDR knows a convention (decimal and group separators, the space before the percent
sign, month and weekday names, the language's name), the profile takes it from Babel, for the
language and for a regional variant: ``profile("de-CH")`` has the decimal point and the
apostrophe of Swiss German, ``profile("es-MX")`` the decimal point of Mexico. ``profile.yaml``
gives what CLDR does not (quotation marks, spacing before punctuation, capitalisation of
nationality adjectives and headlines, abbreviations, agencies) and may override CLDR, saying why.
Keys are checked against the schema below: a misspelt key is an error naming the file, never a
silently ignored setting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["Profile", "ProfileError", "UnknownLanguage", "abbreviations", "expand", "known", "name", "profile"]


class ProfileError(ValueError):
    """A profile file that does not follow the schema."""


class UnknownLanguage(LookupError):
    """A language with no profile folder."""


@dataclass(frozen=True, slots=True)
class Profile:
    tag: str  # "de-CH": the language and, where given, the region
    code: str  # "de"
    region: str | None  # "CH"
    name: str  # in English: "German (Switzerland)"
    native_name: str  # "Deutsch (Schweiz)"
    script: str  # ISO 15924: "Latn", "Cyrl", "Hans"
    decimal: str
    group: str
    percent_space: str  # what goes between a number and "%": "" or a (no-break) space
    quotes: tuple[str, str]  # opening and closing marks, first level
    inner_quotes: tuple[str, str]  # second level (a quotation inside a quotation)
    space_before: str  # marks that take a no-break space before them ("" in most languages)
    months: tuple[str, ...]  # as written inside a sentence: "janvier", "January"
    weekdays: tuple[str, ...]  # Monday first
    months_capitalised: bool
    weekdays_capitalised: bool
    # Every wide month and weekday name, in lowercase: in a sentence and standing alone
    # ("января" and "январь").
    calendar_words: frozenset[str]
    nationality_capitalised: bool  # "the British government" vs "le gouvernement britannique"
    headline_case: str  # "title" (English: "Free Nucleic Acid Testing Has Begun") or "sentence"
    abbreviations: frozenset[str]  # that end with a period without ending the sentence
    agencies: tuple[str, ...]  # news agencies named in credit lines
    # Adjectives of nationality in all their forms, lowercase ("britannique", "española"), and
    # the words after which such a word is a noun ("les Britanniques", "los Españoles").
    nationality_adjectives: frozenset[str] = frozenset()
    determiners: frozenset[str] = frozenset()

    @property
    def latin(self) -> bool:
        return self.script == "Latn"


# key -> (type, required). The types are those YAML reads; "marks" is a list of two strings.
_SCHEMA: Mapping[str, tuple[str, bool]] = {
    "code": ("str", True),
    "script": ("str", True),
    "quotes": ("marks", True),
    "inner_quotes": ("marks", True),
    "space_before": ("str", False),
    "nationality_capitalised": ("bool", True),
    "headline_case": ("str", True),
    "abbreviations": ("list", False),
    "nationality_adjectives": ("str", False),
    "determiners": ("list", False),
    "agencies": ("list", False),
    "numbers": ("numbers", False),
    "regions": ("regions", False),
    "notes": ("str", False),
}
_NUMBER_KEYS = frozenset({"decimal", "group", "percent_space"})
# What a region may change: its numbers (beyond CLDR's) and its quotation marks.
_REGION_KEYS = frozenset({"numbers", "quotes", "inner_quotes", "notes"})
_HEADLINE_CASES = frozenset({"title", "sentence"})
_SCRIPTS = frozenset({"Latn", "Cyrl", "Hans", "Hant", "Arab", "Grek", "Hebr", "Jpan", "Kore", "Deva"})
_TAG = re.compile(r"^([a-z]{2,3})(?:[-_]([A-Z]{2}|[0-9]{3}))?$")


@cache
def known() -> tuple[str, ...]:
    """The language codes that have a profile folder, sorted."""
    root = resources.files(__name__)
    return tuple(sorted(p.name for p in root.iterdir() if p.is_dir() and (p / "profile.yaml").is_file()))


def name(code: str | None, default: str = "the source language") -> str:
    """The English name of a language, for messages ("German"), with or without a profile:
    CLDR names every language; ``default`` for none or an unknown code."""
    if not code:
        return default
    try:
        return _babel_name(code.replace("-", "_"))
    except ValueError:
        return default


@cache
def _babel_name(tag: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(tag.split("_")[0])
    except (UnknownLocaleError, ValueError) as e:
        raise ValueError(tag) from e
    return str(locale.get_display_name("en"))


@cache
def abbreviations(code: str | None) -> frozenset[str] | None:
    """The abbreviations of a language's profile (lowercase, without their period), read
    without CLDR: sentence splitting needs them on every run, before any check. None for a
    language without a profile."""
    if not code or code not in known():
        return None
    return frozenset(_read(code).get("abbreviations") or ())


def profile(tag: str) -> Profile:
    """The profile of ``tag`` ("fr", "de-CH", "pt_BR"); ``UnknownLanguage`` without a folder,
    ``ProfileError`` for a malformed tag or file."""
    m = _TAG.match(tag.strip())
    if m is None:
        raise ProfileError(f"not a language tag: {tag!r} (expected 'de' or 'de-CH')")
    return _profile(m.group(1), m.group(2))


@cache
def _profile(code: str, region: str | None) -> Profile:
    data = _read(code)
    own: dict[str, Any] = dict(data)
    regions = data.get("regions") or {}
    if region is not None and region in regions:
        for key, value in regions[region].items():
            own[key] = value if key != "numbers" else {**(data.get("numbers") or {}), **value}
    return _build(code, region, own)


@cache
def _read(code: str) -> Mapping[str, Any]:
    path = resources.files(__name__) / code / "profile.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UnknownLanguage(f"no profile for language {code!r} (known: {', '.join(known())})") from None
    return parse(text, f"mtcheck/langs/{code}/profile.yaml", code)


def parse(text: str, where: str, code: str) -> Mapping[str, Any]:
    """A profile file's data, checked against the schema (``where`` names it in errors)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ProfileError(f"{where}: not YAML: {e}") from None
    if not isinstance(data, dict):
        raise ProfileError(f"{where}: expected a mapping of keys")
    _check_keys(data, _SCHEMA.keys(), where)
    for key, (kind, required) in _SCHEMA.items():
        if key not in data:
            if required:
                raise ProfileError(f"{where}: missing key {key!r}")
            continue
        _check_value(data[key], kind, f"{where}: {key}")
    if data["code"] != code:
        raise ProfileError(f"{where}: code {data['code']!r} in the folder of {code!r}")
    if data["script"] not in _SCRIPTS:
        raise ProfileError(f"{where}: script {data['script']!r} is not one of {sorted(_SCRIPTS)}")
    if data["headline_case"] not in _HEADLINE_CASES:
        raise ProfileError(f"{where}: headline_case must be 'title' or 'sentence'")
    for region, values in (data.get("regions") or {}).items():
        _check_keys(values, _REGION_KEYS, f"{where}: regions.{region}")
        for key, value in values.items():
            _check_value(value, _SCHEMA[key][0], f"{where}: regions.{region}.{key}")
    return data


def _check_keys(data: Mapping[str, Any], allowed: Any, where: str) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ProfileError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(allowed))})")


def _check_value(value: Any, kind: str, where: str) -> None:
    ok = {
        "str": isinstance(value, str),
        "bool": isinstance(value, bool),
        "list": isinstance(value, list) and all(isinstance(v, str) for v in value),
        "marks": isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) and v for v in value),
        "numbers": isinstance(value, dict)
        and set(value) <= _NUMBER_KEYS
        and all(isinstance(v, str) for v in value.values()),
        "regions": isinstance(value, dict)
        and all(isinstance(k, str) and _TAG.match(f"xx-{k}") and isinstance(v, dict) for k, v in value.items()),
    }[kind]
    if not ok:
        shapes = {
            "str": "a string",
            "bool": "true or false",
            "list": "a list of strings",
            "marks": "a list of two marks, opening and closing",
            "numbers": f"a mapping of {', '.join(sorted(_NUMBER_KEYS))} to strings",
            "regions": "a mapping of region codes (CH, MX...) to settings",
        }
        raise ProfileError(f"{where}: expected {shapes[kind]}")


def _build(code: str, region: str | None, data: Mapping[str, Any]) -> Profile:
    from babel import Locale, UnknownLocaleError, numbers

    try:
        locale = Locale.parse(f"{code}_{region}" if region else code)
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse(code)  # a region CLDR does not know: the language's conventions
    own = data.get("numbers") or {}
    percent = str(locale.percent_formats[None].pattern)
    months = tuple(str(m) for _, m in sorted(locale.months["format"]["wide"].items()))
    days = tuple(str(d) for _, d in sorted(locale.days["format"]["wide"].items()))
    calendar = {
        str(name).lower()
        for table in (locale.months, locale.days)
        for context in ("format", "stand-alone")
        for name in table[context]["wide"].values()
    }
    return Profile(
        tag=f"{code}-{region}" if region else code,
        code=code,
        region=region,
        name=str(locale.get_display_name("en")),
        native_name=str(locale.get_display_name(locale)),
        script=data["script"],
        decimal=own.get("decimal", numbers.get_decimal_symbol(locale)),
        group=own.get("group", numbers.get_group_symbol(locale)),
        percent_space=own.get("percent_space", _space_before_percent(percent)),
        quotes=(data["quotes"][0], data["quotes"][1]),
        inner_quotes=(data["inner_quotes"][0], data["inner_quotes"][1]),
        space_before=data.get("space_before", ""),
        months=months,
        weekdays=days,
        months_capitalised=months[0][:1].isupper(),
        weekdays_capitalised=days[0][:1].isupper(),
        calendar_words=frozenset(calendar),
        nationality_capitalised=data["nationality_capitalised"],
        headline_case=data["headline_case"],
        abbreviations=frozenset(data.get("abbreviations") or ()),
        agencies=tuple(data.get("agencies") or ()),
        nationality_adjectives=frozenset(expand(data.get("nationality_adjectives", ""))),
        determiners=frozenset(data.get("determiners") or ()),
    )


def expand(spec: str) -> set[str]:
    """The word forms a compact list spells: words apart by spaces, "(s)" an optional part and
    "{o,a,os,as}" one of several ("italien(ne)(s)" -> italien, italienne, italiens,
    italiennes; "británic{o,a,os,as}" -> británico, británica, británicos, británicas)."""
    out: set[str] = set()
    for word in spec.split():
        forms = [""]
        for m in _PART.finditer(word):
            if m.group("opt") is not None:
                options = ["", m.group("opt")]
            elif m.group("alt") is not None:
                options = m.group("alt").split(",")
            else:
                options = [m.group("lit")]
            forms = [f + o for f in forms for o in options]
        out.update(f.lower() for f in forms if f)
    return out


_PART = re.compile(r"\((?P<opt>[^()]*)\)|\{(?P<alt>[^{}]*)\}|(?P<lit>[^(){}]+)")


def _space_before_percent(pattern: str) -> str:
    """The space CLDR's percent pattern puts before "%": "#,##0 %" -> a no-break space."""
    m = re.search(r"0([\s\u00a0\u202f]*)%", pattern)
    return m.group(1) if m else ""
