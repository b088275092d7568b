"""What the language model says about a document: word surprisal against a unigram baseline.

Raw surprisal is dominated by names and rare words ("Vedant", "rapprochement"); subtracting each
word's unigram surprisal (from wordfreq) leaves what the context makes improbable, the measure
behind SLOR (Lau, Clark and Lappin 2017). Sentences are scored one at a time, so a word's score
never depends on text far away, and results can be cached sentence by sentence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mtcheck.document import Document
from mtcheck.lm.base import Probe, Progress, Scorer, SentenceScores
from mtcheck.lm.cache import ScoreCache
from mtcheck.lm.registry import ModelSpec
from mtcheck.resources import NAME, ORDINARY, Entry, Resources, stems

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
POSSESSIVE = re.compile(r"['’]s$")
_NONE = Entry(None, 0)
FLOOR = 1e-9  # frequency of a word wordfreq has never seen: about 30 bits
OPENERS = "\"“‘«„([{'‹—–-:"
# Words this far into a sentence have enough context to be judged; the first few are guessed
# from almost nothing ("Delegates generally agreed").
MIN_CONTEXT_WORDS = 3


@dataclass(frozen=True)
class WordScore:
    start: int  # offsets into the document's plain text
    end: int
    text: str
    bits: float  # surprisal in context
    unigram: float  # surprisal without context
    # A word the checks may flag: lowercase, with left context, not right after a quote mark.
    eligible: bool
    # Bits of surprise beyond what the model expects of a word this frequent in good news
    # text (see registry.Calibration): high when the word does not belong here.
    anomaly: float
    quoted: bool = False  # inside quotation marks: someone's own words
    # The learned head's probability that the word lies in a translation error (its likeliest
    # token's), and that token's likeliest MQM category (an index into the head's list); 0 and
    # -1 without a head.
    risk: float = 0.0
    category: int = -1


@dataclass(frozen=True)
class CasingProbe:
    start: int
    end: int
    alternative: str
    gain: float  # at most this many bits saved by the alternative (its first token's cost)


@dataclass(frozen=True)
class SentenceAnalysis:
    start: int
    end: int
    scores: SentenceScores
    words: tuple[WordScore, ...]
    casing: tuple[CasingProbe, ...]

    @property
    def fluency(self) -> float:
        """SLOR: bits per word by which the model beats the unigram baseline. Higher reads
        more fluently; news sentences score about 3 to 6 with the default English model."""
        if not self.words:
            return 0.0
        return sum(w.unigram - w.bits for w in self.words) / len(self.words)

    @property
    def error_load(self) -> float:
        """The learned head's expected number of error tokens in the sentence (the sum of its
        tokens' risks; 0 without a head): a reference-free quality score, lower is better."""
        return sum(self.scores.risk)

    @property
    def surprise(self) -> float:
        """Bits of surprise beyond what the model expects of each word (the sum of positive
        anomalies): 0 for text the model finds unremarkable, growing with every odd word. Not
        normalised by length: it is evidence of errors, and a longer sentence can hold more."""
        return sum(max(0.0, w.anomaly) for w in self.words)


@dataclass(frozen=True)
class LmAnalysis:
    spec: ModelSpec
    scorer: Scorer
    sentences: tuple[SentenceAnalysis, ...]
    cache: ScoreCache | None = None

    def variants_bits(self, texts: Sequence[str]) -> list[float]:
        """Surprisal of whole sentences (candidate rewrites), cached like the document's."""
        return [s.total for s in _cached_scores(self.scorer, list(texts), [[] for _ in texts], self.cache, None)]


def unigram_bits(word: str, freqs: dict[str, float]) -> float:
    key = POSSESSIVE.sub("", word.lower().replace("’", "'"))
    f = freqs.get(key)
    if f is None and "-" in key:
        # A compound wordfreq does not list ("middle-income"): its parts as if independent.
        # Taking the rarest part alone made every compound look improbable.
        return sum(-math.log2(max(freqs.get(p) or FLOOR, FLOOR)) for p in key.split("-") if p)
    return -math.log2(max(f or FLOOR, FLOOR))


def _eligible(text: str, m: re.Match[str], index: int) -> bool:
    word = m.group()
    if index < MIN_CONTEXT_WORDS or not word.islower():
        return False
    if m.start() > 0 and not text[m.start() - 1].isspace():
        return False  # glued to punctuation (",without"): tokenised oddly, and the rules' business
    before = text[: m.start()].rstrip(" ")
    return not before or before[-1] not in OPENERS


def _casing_candidates(words: list[re.Match[str]], resources: Resources, lang: str) -> set[str]:
    """Lowercase words the model is asked to compare with their capitalised form: words that
    are also names ("china", "turkey"), and words that are neither ordinary vocabulary nor
    common ("kyiv"; not "fences" or "rebounding", inflections the lexicon does not list)."""
    lexicon = resources.names(lang)
    keys = {m.group().lower() for m in words if m.group().isalpha() and m.group().islower() and len(m.group()) > 1}
    if lexicon is None:
        return set()
    entries = lexicon.lookup(keys)
    common = resources.known_words(lang)
    unknown = [k for k in keys if k not in entries and k not in common]
    # An inflection of an ordinary word ("rebounding", "fences") is ordinary too.
    stem_entries = lexicon.lookup(s for k in unknown for s in stems(k))
    inflected = {k for k in unknown if any(stem_entries.get(s, _NONE).flags & ORDINARY for s in stems(k))}
    out = set()
    for k in keys:
        e = entries.get(k)
        also_a_name = e is not None and bool(e.flags & NAME)
        unusual = (e is None or not e.flags & ORDINARY) and k not in common and k not in inflected
        if also_a_name or unusual:
            out.add(k)
    return out


def _quoted(text: str, pos: int) -> bool:
    """Inside quotation marks that open before ``pos`` in the sentence."""
    before = text[:pos]
    curly = before.count("“") > before.count("”") or before.count("«") > before.count("»")
    return curly or before.count('"') % 2 == 1


def _in_address(text: str, m: re.Match[str]) -> bool:
    """Part of a domain, e-mail address or path ("chinanews.com"): lowercase by design."""
    before = text[m.start() - 1] if m.start() else " "
    after = text[m.end() : m.end() + 2]
    return before in "./@\\" or (len(after) == 2 and after[0] in "./@" and after[1].isalnum())


def _headline(words: list[re.Match[str]]) -> bool:
    """Title case ("Technology Helps Crack the Greenhouse Effect"): every lowercase word there
    reads as a casing slip to the model, so casing is not probed."""
    long = [m.group() for m in words if len(m.group()) > 3]
    return len(long) >= 3 and sum(w[:1].isupper() for w in long) >= 0.6 * len(long)


@dataclass(frozen=True)
class _Inputs:
    """What the model is asked about one document: its sentences and the casing probes."""

    spans: list[Any]
    texts: list[str]
    matches: list[list[re.Match[str]]]
    probes: list[list[Probe]]


def _inputs(doc: Document, resources: Resources) -> _Inputs:
    lang = doc.lang or ""
    spans = [s for s in doc.sentences if WORD.search(doc.text, s.start, s.end)]
    # Newlines inside a sentence (a wrapped line) read as spaces; lengths stay the same.
    texts = [doc.text[s.start : s.end].replace("\n", " ").replace("\r", " ") for s in spans]
    matches = [list(WORD.finditer(t)) for t in texts]
    casing_words = _casing_candidates([m for ms in matches for m in ms], resources, lang)
    probes: list[list[Probe]] = []
    for t, ms in zip(texts, matches, strict=True):
        probes.append(
            []
            if _headline(ms)
            else [
                (m.start(), m.group().capitalize())
                for i, m in enumerate(ms)
                if i > 0 and m.group() in casing_words and not _in_address(t, m)
            ]
        )
    return _Inputs(spans, texts, matches, probes)


def _assemble(
    doc: Document,
    scorer: Scorer,
    resources: Resources,
    cache: ScoreCache | None,
    inputs: _Inputs,
    scores: list[SentenceScores],
) -> LmAnalysis:
    freqs = resources.frequencies(doc.lang or "")
    out = []
    cal = scorer.spec.calibration
    for span, text, ms, ps, sc in zip(inputs.spans, inputs.texts, inputs.matches, inputs.probes, scores, strict=True):
        words = []
        risks = _word_risks(sc, ms)
        for i, m in enumerate(ms):
            bits, uni = sc.span_bits(m.start(), m.end()), unigram_bits(m.group(), freqs)
            start, end = span.start + m.start(), span.start + m.end()
            anomaly = bits - cal.expected(uni, i)
            quoted = _quoted(text, m.start())
            risk, cat = risks[i]
            words.append(WordScore(start, end, m.group(), bits, uni, _eligible(text, m, i), anomaly, quoted, risk, cat))
        casing = []
        for pi, (pos, alt) in enumerate(ps):
            if pi in sc.probes:
                # The whole word's bits against the alternative's first token only: an upper
                # bound on what the alternative saves, cheap to get; checks confirm it.
                own = sc.span_bits(pos, pos + len(alt))
                casing.append(CasingProbe(span.start + pos, span.start + pos + len(alt), alt, own - sc.probes[pi]))
        out.append(SentenceAnalysis(span.start, span.end, sc, tuple(words), tuple(casing)))
    return LmAnalysis(scorer.spec, scorer, tuple(out), cache)


def _word_risks(sc: SentenceScores, words: list[re.Match[str]]) -> list[tuple[float, int]]:
    """For each word (in order), the head's risk of its riskiest token and that token's
    category: one sweep over words and tokens together, both sorted by offset."""
    if not sc.risk:
        return [(0.0, -1)] * len(words)
    out, first = [], 0
    offs = sc.offsets
    for m in words:
        while first < len(offs) and offs[first][1] <= m.start():
            first += 1  # tokens ending before this word end before every later word too
        best, cat, i = 0.0, -1, first
        while i < len(offs) and offs[i][0] < m.end():
            if offs[i][1] > m.start() and sc.risk[i] > best:
                best, cat = sc.risk[i], (sc.category[i] if sc.category else -1)
            i += 1
        out.append((best, cat))
    return out


def scorer_key(scorer: Scorer) -> str:
    """What a cached score belongs to: the model, and the learned head it carries if any."""
    key = getattr(scorer, "key", None)
    return key if isinstance(key, str) else scorer.spec.key


def analyse(
    doc: Document, scorer: Scorer, resources: Resources, cache: ScoreCache | None, progress: Progress | None = None
) -> LmAnalysis:
    inputs = _inputs(doc, resources)
    scores = _cached_scores(scorer, inputs.texts, inputs.probes, cache, progress)
    return _assemble(doc, scorer, resources, cache, inputs, scores)


def analyse_many(
    docs: Sequence[Document],
    scorer: Scorer,
    resources: Resources,
    cache: ScoreCache | None,
    progress: Progress | None = None,
) -> list[LmAnalysis]:
    """``analyse`` for many short documents (a corpus's segments) in one scoring call: the
    model's batches fill up with several documents' sentences instead of one sentence each."""
    inputs = [_inputs(d, resources) for d in docs]
    texts = [t for i in inputs for t in i.texts]
    probes = [p for i in inputs for p in i.probes]
    scores = _cached_scores(scorer, texts, probes, cache, progress)
    out, at = [], 0
    for doc, inp in zip(docs, inputs, strict=True):
        out.append(_assemble(doc, scorer, resources, cache, inp, scores[at : at + len(inp.texts)]))
        at += len(inp.texts)
    return out


def _cached_scores(
    scorer: Scorer,
    texts: list[str],
    probes: list[list[Probe]],
    cache: ScoreCache | None,
    progress: Progress | None,
) -> list[SentenceScores]:
    keys = [ScoreCache.key(scorer_key(scorer), t, p) for t, p in zip(texts, probes, strict=True)]
    found = cache.get_many(keys) if cache else {}
    todo = [i for i, k in enumerate(keys) if k not in found]
    if todo:
        fresh = scorer.score([texts[i] for i in todo], [probes[i] for i in todo], progress)
        new = {keys[i]: s for i, s in zip(todo, fresh, strict=True)}
        if cache:
            cache.put_many(new)
        found.update(new)
    return [found[k] for k in keys]
