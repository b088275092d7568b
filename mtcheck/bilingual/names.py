"""Names and other tokens a translation keeps from its source: how to find them in the source,
and how to find their counterpart in the target across scripts and spelling conventions."""

from __future__ import annotations

import difflib
import heapq
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from mtcheck.resources import wordfreq_code

# Russian to Latin, close to the BGN/PCGN romanisation that English news uses ("Зеленский" ->
# "zelenskiy", near enough to "Zelensky" for a fuzzy match).
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi",
    "є": "ye", "ґ": "g",
}  # fmt: skip

WORD = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?")
_NOT_CJK = r"(?![\u3000-\u9fff\uf900-\ufaff])"
# What a translation copies character for character.
TOKEN_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Latin letters only around them: a Chinese text writes "访问www.example.cn" unspaced.
    ("URL", re.compile(r"(?<![A-Za-z0-9.])(?:https?://|www\.)[!-~]*[A-Za-z0-9/_=#-]")),
    (
        "e-mail address",
        re.compile(
            rf"(?<![.%+-])(?<![^\W\u3000-\u9fff\uf900-\ufaff])(?:{_NOT_CJK}[\w.%+-])+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[a-zA-Z]{{2,}}\b"
        ),
    ),
    ("hashtag", re.compile(r"(?<![\w&#])#[^\W\d_][\w]*")),
    ("handle", re.compile(r"(?<![\w.@])@[A-Za-z0-9_]{2,}(?![\w@.]*\.[a-z]{2})")),
)


def fold(word: str) -> str:
    """Case, accents and script folded away: "Kyïv", "kyiv" and "Киев" compare on letters."""
    low = unicodedata.normalize("NFD", word.casefold())
    out = "".join(_CYRILLIC.get(c, c) for c in low if not unicodedata.combining(c))
    return out.replace("’", "'").removesuffix("'s")


def is_latin(word: str) -> bool:
    return all(("LATIN" in unicodedata.name(c, "")) for c in word if c.isalpha())


def is_cyrillic(word: str) -> bool:
    return any("CYRILLIC" in unicodedata.name(c, "") for c in word if c.isalpha())


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, fold(a), fold(b), autojunk=False).ratio()


def similar(a: str, b: str, threshold: float) -> bool:
    """``similarity(a, b) >= threshold``, told first by the ratio's cheap upper bounds (the
    lengths, then the letters in common, both linear): most sentence pairs are far from a
    copy, and the full ratio of two long sentences costs the product of their lengths."""
    m = difflib.SequenceMatcher(None, fold(a), fold(b), autojunk=False)
    return m.real_quick_ratio() >= threshold and m.quick_ratio() >= threshold and m.ratio() >= threshold


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str


# Letters of one word; Chinese and Japanese characters are never part of a Latin-script word
# ("发布Mate" holds the name "Mate").
_LETTER = r"(?:(?![\u3000-\u9fff\uf900-\ufaff])[^\W\d_])"
NAME_PART = re.compile(f"{_LETTER}+(?:['’]{_LETTER}+)*")
_COMMON_ZIPF = 3.0  # a name this frequent in the source language has a translation of its own
_RARE_ZIPF = 1.5
_CROSS_ZIPF = 4.0
_LATIN_RUN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9'’&.-]*[A-Za-z0-9]")


def source_names(
    text: str,
    start: int,
    end: int,
    lang: str | None,
    known: frozenset[str],
    zipf: dict[str, float] | None = None,
) -> Iterator[Mention]:
    """Words of a source sentence that are names a translation keeps: capitalised, not the
    sentence's first word, and rare in the source language (everyday words, German nouns and
    exonyms such as "Allemagne" or "Moscou" are translated, not kept). In Chinese or Japanese
    text, any Latin-script word ("iPhone", "NBA")."""
    if lang in ("zh", "ja"):
        for m in _LATIN_RUN.finditer(text, start, end):
            yield Mention(m.start(), m.end(), m.group())
        return
    first = True
    for m in NAME_PART.finditer(text, start, end):
        w = m.group()
        was_first, first = first, False
        stem = re.sub(r"['’]s$", "", w)
        if not w[0].isupper() or len(stem) < 3 or stem.isupper():
            continue  # acronyms are translated too (OTAN, NATO)
        low = stem.casefold()
        # Any sentence starts with a capital: there, only a word the language hardly uses
        # otherwise is taken for a name.
        # Across scripts every name is transliterated, famous ones too ("Зеленский" is
        # common in Russian news): only the commonest words are taken for translated ones.
        cross = is_cyrillic(stem)
        limit = _RARE_ZIPF if was_first else _CROSS_ZIPF if cross else _COMMON_ZIPF
        freq = zipf if zipf is not None else {}
        if (not cross and low in known) or _frequent(low, lang, limit, freq):
            continue
        if low.endswith("s") and _frequent(low[:-1], lang, limit, freq):
            continue
        yield Mention(m.start(), m.start() + len(stem), stem)


def _frequent(word: str, lang: str | None, limit: float, zipf: dict[str, float]) -> bool:
    """Whether ``word`` is that common in ``lang``; ``zipf`` keeps the frequencies already
    looked up (wordfreq tokenises each word it is asked about)."""
    import wordfreq

    if lang is None:
        return False
    if word not in zipf:
        zipf[word] = wordfreq.zipf_frequency(word, wordfreq_code(lang))
    return zipf[word] >= limit


def common_word(word: str, lang: str | None) -> bool:
    """An everyday word of ``lang`` ("the", "and"): its lowercase form is no lost capital."""
    import wordfreq

    return lang is not None and wordfreq.zipf_frequency(word.lower(), wordfreq_code(lang)) >= 5.0


def skeleton(word: str) -> str:
    """A rough sound key that survives transliteration: "Cummings" and "Каммингса" give
    "kmngs..."; "Sophy" and "Софи" give "sf"."""
    w = re.sub(r"^k(?=[nh])", "", fold(word))
    for a, b in (("dzh", "j"), ("zh", "j"), ("ph", "f"), ("ck", "k"), ("c", "k"), ("q", "k"), ("x", "ks"), ("j", "i")):
        w = w.replace(a, b)
    w = w[:1] + re.sub(r"[hwvy]", "", w[1:])  # silent letters and semi-vowels differ most
    w = re.sub(r"(.)\1+", r"\1", w)
    return w[:1] + re.sub(r"[aeiou'’-]", "", w[1:])


def _loose_key(word: str) -> str:
    """The first two consonant sounds of ``skeleton``, with what transliteration swaps most
    folded together: w/v, kh/h and an initial vowel ("Ennahdha" / "Ан-Нахда"), z/ts
    ("Lorenz" / "Лоренца")."""
    w = skeleton(fold(word.replace("-", "")).replace("kh", "h")).replace("w", "v").replace("ts", "z")
    w = re.sub(r"(.)\1+", r"\1", w)
    if w[:1] in "aeiou":
        w = "a" + w[1:]
    return w[:3]


def loose_counterpart(name: str, text: str, start: int, end: int) -> bool:
    """Whether a word (or two joined by a hyphen) of ``text[start:end]`` in the other script
    may render ``name``: across scripts, transliteration and inflection defeat a close match
    ("Werribee" / "Верриби", "Ennahdha" / "Ан-Нахда"), so a rough sound key decides."""
    key = _loose_key(name)
    if len(key) < 3:
        return True  # too short to tell: never called missing
    cyrillic = is_cyrillic(name)
    for m in re.finditer(r"[^\W\d_]+(?:-[^\W\d_]+)?", text[start:end]):
        w = m.group()
        if is_cyrillic(w) != cyrillic and _loose_key(w) == key:
            return True
    return False


def find_counterpart(name: str, text: str, start: int, end: int, threshold: float = 0.72) -> Mention | None:
    """The word, part of a compound ("Knowsley-Safaripark"), or two words of
    ``text[start:end]`` that best render ``name``, if one is similar enough. A prefix match
    stands for inflection ("Merz" / "Merza"); across scripts, names compare by sound
    (``skeleton``)."""
    target = fold(name)
    key = skeleton(name)
    cyrillic = is_cyrillic(name)
    best: tuple[float, Mention] | None = None
    words = list(NAME_PART.finditer(text, start, end))
    # A sentence repeats its words: each is folded, and its script told, once.
    seen: dict[str, tuple[str, bool]] = {}
    for i, m in enumerate(words):
        cands = [(m.start(), m.end())]
        if i + 1 < len(words):
            cands.append((m.start(), words[i + 1].end()))
        for s, e in cands:
            raw = text[s:e]
            known = seen.get(raw)
            if known is None:
                known = seen[raw] = (fold(raw), is_cyrillic(raw))
            cand, cand_cyrillic = known
            if cand == target or (len(target) >= 4 and cand.startswith(target) and len(cand) - len(target) <= 3):
                return Mention(s, e, raw)
            score = _ratio_if_useful(target, cand, threshold if best is None else max(threshold, best[0]))
            # A sound match across scripts lifts the score to the threshold, which only a
            # first candidate can use (a best one so far is at the threshold already).
            if best is None and score < threshold and len(key) >= 2 and cand_cyrillic != cyrillic:
                ck = skeleton(raw)
                if ck == key or (len(key) >= 3 and ck.startswith(key)) or (len(ck) >= 3 and key.startswith(ck)):
                    score = threshold
            if score >= threshold and (best is None or score > best[0]):
                best = (score, Mention(s, e, raw))
    return best[1] if best else None


def _ratio_if_useful(a: str, b: str, floor: float) -> float:
    """The similarity ratio of ``a`` and ``b`` if it may reach ``floor``, else an upper bound
    of it that is below ``floor`` (the lengths alone bound it; a sentence of a hundred words
    and a name of three need no edit distance for each of the three hundred pairs)."""
    total = len(a) + len(b)
    bound = 2 * min(len(a), len(b)) / total if total else 1.0
    if bound < floor:
        return bound
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    bound = m.quick_ratio()
    return bound if bound < floor else m.ratio()


def tokens(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[str, Mention]]:
    """URLs, e-mail addresses, hashtags and @handles in ``text[start:end]``, with their kind."""
    stop = len(text) if end is None else end
    # Spans of the kinds before, sorted and not overlapping: each match of the next kind is
    # in order too, so one pointer walks them (asking every span taken was quadratic in a
    # text of a thousand hashtags).
    taken: list[tuple[int, int]] = []
    for kind, pattern in TOKEN_KINDS:
        added: list[tuple[int, int]] = []
        k = 0
        for m in pattern.finditer(text, start, stop):
            while k < len(taken) and taken[k][1] <= m.start():
                k += 1
            if k < len(taken) and taken[k][0] < m.end():
                continue  # the "@domain" of an e-mail address is no handle
            added.append((m.start(), m.end()))
            yield kind, Mention(m.start(), m.end(), m.group())
        taken = list(heapq.merge(taken, added))
