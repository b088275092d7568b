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

from mtcheck.document import Document
from mtcheck.lm.base import Probe, Progress, Scorer, SentenceScores
from mtcheck.lm.cache import ScoreCache
from mtcheck.lm.registry import ModelSpec
from mtcheck.resources import NAME, ORDINARY, Resources

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
POSSESSIVE = re.compile(r"['’]s$")
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
    are not ordinary vocabulary ("kyiv"), or that are also names ("china", "turkey")."""
    lexicon = resources.names(lang)
    keys = {m.group().lower() for m in words if m.group().isalpha() and m.group().islower() and len(m.group()) > 1}
    if lexicon is None:
        return set()
    entries = lexicon.lookup(keys)
    out = set()
    for k in keys:
        e = entries.get(k)
        if e is None or not e.flags & ORDINARY or e.flags & NAME:
            out.add(k)
    return out


def analyse(
    doc: Document, scorer: Scorer, resources: Resources, cache: ScoreCache | None, progress: Progress | None = None
) -> LmAnalysis:
    lang = doc.lang or ""
    freqs = resources.frequencies(lang)
    spans = [s for s in doc.sentences if WORD.search(doc.text, s.start, s.end)]
    # Newlines inside a sentence (a wrapped line) read as spaces; lengths stay the same.
    texts = [doc.text[s.start : s.end].replace("\n", " ").replace("\r", " ") for s in spans]
    matches = [list(WORD.finditer(t)) for t in texts]
    casing_words = _casing_candidates([m for ms in matches for m in ms], resources, lang)
    probes: list[list[Probe]] = []
    for ms in matches:
        probes.append(
            [(m.start(), m.group().capitalize()) for i, m in enumerate(ms) if i > 0 and m.group() in casing_words]
        )
    scores = _cached_scores(scorer, texts, probes, cache, progress)
    out = []
    cal = scorer.spec.calibration
    for span, text, ms, ps, sc in zip(spans, texts, matches, probes, scores, strict=True):
        words = []
        for i, m in enumerate(ms):
            bits, uni = sc.span_bits(m.start(), m.end()), unigram_bits(m.group(), freqs)
            start, end = span.start + m.start(), span.start + m.end()
            words.append(WordScore(start, end, m.group(), bits, uni, _eligible(text, m, i), bits - cal.expected(uni)))
        casing = []
        for pi, (pos, alt) in enumerate(ps):
            if pi in sc.probes:
                # The whole word's bits against the alternative's first token only: an upper
                # bound on what the alternative saves, cheap to get; checks confirm it.
                own = sc.span_bits(pos, pos + len(alt))
                casing.append(CasingProbe(span.start + pos, span.start + pos + len(alt), alt, own - sc.probes[pi][0]))
        out.append(SentenceAnalysis(span.start, span.end, sc, tuple(words), tuple(casing)))
    return LmAnalysis(scorer.spec, scorer, tuple(out), cache)


def _cached_scores(
    scorer: Scorer,
    texts: list[str],
    probes: list[list[Probe]],
    cache: ScoreCache | None,
    progress: Progress | None,
) -> list[SentenceScores]:
    keys = [ScoreCache.key(scorer.spec.key, t, p) for t, p in zip(texts, probes, strict=True)]
    found = cache.get_many(keys) if cache else {}
    todo = [i for i, k in enumerate(keys) if k not in found]
    if todo:
        fresh = scorer.score([texts[i] for i in todo], [probes[i] for i in todo], progress)
        new = {keys[i]: s for i, s in zip(todo, fresh, strict=True)}
        if cache:
            cache.put_many(new)
        found.update(new)
    return [found[k] for k in keys]
