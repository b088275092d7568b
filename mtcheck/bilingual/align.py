"""Sentence alignment of a source article with its translation.

Gale and Church (1993) length-based alignment, with lexical anchors in the spirit of
Moore (2002) and hunalign: numbers and names that appear on both sides pull sentences
together. Beads may be 1-1, 1-2, 2-1, 2-2, 1-3, 3-1, or 1-0 and 0-1 (a sentence without
counterpart: an omission or an addition). The ratio of target to source length is learnt from
the article itself, so no table of language pairs is needed; a dynamic programme restricted to
a band around the diagonal keeps long articles linear in practice.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from mtcheck.bilingual.names import fold
from mtcheck.document import Span, split_sentences

# Prior probabilities of bead shapes (Gale and Church's estimates, 1-3 and 3-1 added).
_PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.89,
    (1, 0): 0.005,
    (0, 1): 0.005,
    (2, 1): 0.04,
    (1, 2): 0.04,
    (2, 2): 0.011,
    (3, 1): 0.005,
    (1, 3): 0.005,
}
_VARIANCE = 6.8  # Gale and Church's variance of target characters per source character
# Cost taken off per anchor shared by the two sides of a bead: numbers and names are near
# proof; a shared mark or a cognate ("employees" / "emplois") only a hint.
_ANCHOR_BONUS = 2.5
_WEAK_BONUS = 1.0
_BAND = 20  # sentences off the diagonal the dynamic programme explores
_CJK_TERMINATOR = re.compile(r"[。！？!?]+[”」』）)\"]*|…{1,2}[”」』）)\"]*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?")
# Capitalised Latin-script words, and camel-case brands ("iPhone"); in Chinese text a name
# follows a character with no space ("华为的Mate").
_NAME = re.compile(
    r"(?<![A-Za-zÀ-ɏ0-9])(?:[A-Z][A-Za-zÀ-ɏ'’-]*[a-zà-ɏ][A-Za-zÀ-ɏ'’-]*|[A-Z]{2,}(?![A-Za-z])|[a-z]+[A-Z][A-Za-z]*)"
)
_MARKS = {"?": "?？¿", "!": "!！¡", "quote": '"“”„«»「」『』', "bracket": "()（）[]"}
# Month names, folded (accents dropped, Cyrillic transliterated), of the languages mtcheck
# pairs; a long stem also matches inflected forms ("sentyabrya"). English "may" is left out:
# it is a verb far more often.
_MONTH_NAMES = (
    "january janvier januar janner enero yanvar",
    "february fevrier februar febrero fevral",
    "march mars marz marzo mart",
    "april avril abril aprel",
    "mai mayo maya",
    "june juin juni junio iyun",
    "july juillet juli julio iyul",
    "august aout agosto avgust",
    "september septembre septiembre sentyabr",
    "october octobre oktober octubre oktyabr",
    "november novembre noviembre noyabr",
    "december decembre dezember diciembre dekabr",
)
_MONTH_WORD = re.compile(r"[a-z]{3,}")


_MONTH_OF = {name: n for n, names in enumerate(_MONTH_NAMES, 1) for name in names.split()}
_LONGEST_MONTH = max(map(len, _MONTH_OF))


def _month(word: str) -> int | None:
    """The month a folded word names: the whole word, or a long stem and its ending."""
    if word in _MONTH_OF:
        return _MONTH_OF[word]
    # No stem is longer than the longest month name (a word of a thousand letters must not
    # be cut a thousand ways).
    for k in range(5, min(len(word), _LONGEST_MONTH + 1)):
        stem = word[:k]
        if stem in _MONTH_OF and len(stem) >= 5:
            return _MONTH_OF[stem]
    return None


_LONG_WORD = re.compile(r"(?<!\w)[^\W\d_]{5,}(?!\w)")
_SPACE = re.compile(r"\s")
_FULLWIDTH = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})


@dataclass(frozen=True, slots=True)
class Bead:
    """Aligned sentences: indices into the source and target sentence lists (either may be empty)."""

    source: tuple[int, ...]
    target: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Alignment:
    source_sentences: tuple[Span, ...]
    target_sentences: tuple[Span, ...]
    beads: tuple[Bead, ...]

    def source_span(self, bead: Bead) -> Span | None:
        return _cover([self.source_sentences[i] for i in bead.source])

    def target_span(self, bead: Bead) -> Span | None:
        return _cover([self.target_sentences[i] for i in bead.target])


def _cover(spans: list[Span]) -> Span | None:
    return Span(spans[0].start, spans[-1].end) if spans else None


def sentences(text: str, lang: str | None, blocks: Sequence[Span] | None = None) -> list[Span]:
    """Sentences of ``text``: mtcheck's splitter, plus the Chinese and Japanese full stops that
    need no space after them."""
    spans = blocks if blocks is not None else _lines(text)
    out: list[Span] = []
    for block in spans:
        for s in split_sentences(text, block.start, block.end, lang):
            for piece in _split_cjk(text, s) if _CJK.search(text, s.start, s.end) else [s]:
                out.extend(_capped(text, piece))
    return out


# Longer than any sentence of news: a "sentence" longer than that is a text without full
# stops (a list run together, a megabyte on one line). It is aligned in pieces of this size,
# cut at spaces, so that what the checks compare per bead (names, numbers, edit distances)
# stays the size of a sentence and a long text costs time in proportion to its length.
MAX_SENTENCE = 1000
_LAST_SPACE = re.compile(r".*\s", re.S)


def _capped(text: str, span: Span) -> list[Span]:
    """``span`` in pieces of at most ``MAX_SENTENCE`` characters, each cut after the last
    whitespace of its second half (anywhere when there is none), trimmed."""
    if span.end - span.start <= MAX_SENTENCE:
        return [span]
    out: list[Span] = []
    start = span.start
    while span.end - start > MAX_SENTENCE:
        lo, hi = start + MAX_SENTENCE // 2, start + MAX_SENTENCE
        m = _LAST_SPACE.match(text, lo, hi)
        cut = m.end() if m else hi
        piece = _trimmed(text, start, cut)
        if piece.end > piece.start:
            out.append(piece)
        start = cut
    piece = _trimmed(text, start, span.end)
    if piece.end > piece.start:
        out.append(piece)
    return out


def _lines(text: str) -> list[Span]:
    r"""Lines with something on them. Not ``[^\r\n]*\S[^\r\n]*``: on a long line of spaces
    that pattern ran to the end of the line from each space."""
    return [Span(m.start(), m.end()) for m in re.finditer(r"[^\r\n]+", text) if not m.group().isspace()]


def _split_cjk(text: str, span: Span) -> list[Span]:
    out: list[Span] = []
    start = span.start
    # Where the span's last non-space character ends, found once: "is anything left after
    # this full stop" asked of the rest of the span at each full stop was quadratic.
    last = _trimmed(text, span.start, span.end).end
    for m in _CJK_TERMINATOR.finditer(text, span.start, span.end):
        if m.end() < last:
            out.append(_trimmed(text, start, m.end()))
            start = m.end()
    out.append(_trimmed(text, start, span.end))
    return [s for s in out if s.end > s.start]


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def length(text: str) -> int:
    """Characters that carry content: a Chinese character counts as two (about as much as two
    letters of a word), spaces not at all, so that the length ratio is steadier."""
    return len(text) - len(_SPACE.findall(text)) + len(_CJK.findall(text))


def anchors(text: str) -> frozenset[str]:
    """Numbers (digits only, separators dropped), Latin-script names (folded, first five
    letters: "Kursk", "Koursk" and "Kursker" differ, but "Washington's" and "Washington" do
    not), and the marks a translation keeps: question, exclamation, quotation, brackets."""
    text = text.translate(_FULLWIDTH)
    nums = {re.sub(r"\D", "", m.group()).lstrip("0") or "0" for m in _NUMBER.finditer(text)}
    names = {"n:" + _fold(m.group())[:5] for m in _NAME.finditer(text)}
    marks = {"p:" + mark for mark, chars in _MARKS.items() if any(c in text for c in chars)}
    months = {f"m:{n}" for n in (_month(w) for w in _MONTH_WORD.findall(fold(text))) if n}
    months |= {f"m:{int(n)}" for n in re.findall(r"(\d{1,2})\s*月", text.translate(_FULLWIDTH))}
    # Cognates (Simard et al. 1992): long words sharing their first four letters, after
    # folding accents and Cyrillic ("annoncé" / "announced", "президент" / "president").
    cognates = {"c:" + fold(w)[:4] for w in _LONG_WORD.findall(text)}
    return frozenset(nums | names | marks | cognates | months)


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word.casefold()) if not unicodedata.combining(c))


def _length_cost(ls: int, lt: int, ratio: float) -> float:
    """-log of the probability that ``lt`` target characters translate ``ls`` source ones."""
    if ls == 0 and lt == 0:
        return 0.0
    mean = (ls + lt / ratio) / 2
    delta = (lt - ls * ratio) / math.sqrt(max(mean, 1.0) * _VARIANCE * ratio)
    p = 2 * (1 - _phi(abs(delta)))
    return -math.log(max(p, 1e-12))


def _phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def align(
    source: str,
    target: str,
    src_lang: str | None,
    tgt_lang: str | None,
    source_sentences: list[Span] | None = None,
    target_sentences: list[Span] | None = None,
    ratio_hint: float | None = None,
) -> Alignment:
    """Align the sentences of ``source`` and ``target`` (given, or split here). The length
    ratio is ``ratio_hint`` (the language pair's usual one) or else the article's own: an
    article missing a long sentence would teach a wrong one."""
    ss = source_sentences if source_sentences is not None else sentences(source, src_lang)
    ts = target_sentences if target_sentences is not None else sentences(target, tgt_lang)
    slen = [length(source[s.start : s.end]) for s in ss]
    tlen = [length(target[s.start : s.end]) for s in ts]
    sanc = [anchors(source[s.start : s.end]) for s in ss]
    tanc = [anchors(target[s.start : s.end]) for s in ts]
    ratio = ratio_hint or max(0.2, min(5.0, (sum(tlen) or 1) / (sum(slen) or 1)))
    beads = _dp(slen, tlen, sanc, tanc, ratio)
    beads = refine(beads, _Sizes(slen, tlen, sanc, tanc, ratio))
    return Alignment(tuple(ss), tuple(ts), tuple(beads))


@dataclass(frozen=True)
class _Sizes:
    slen: list[int]
    tlen: list[int]
    sanc: list[frozenset[str]]
    tanc: list[frozenset[str]]
    ratio: float

    def factor(self, src: tuple[int, ...], tgt: tuple[int, ...]) -> float:
        """Target length over the expected one (1.0: as usual)."""
        ls = sum(self.slen[i] for i in src)
        return sum(self.tlen[j] for j in tgt) / max(ls, 1) / self.ratio

    def shared(self, src: tuple[int, ...], tgt: tuple[int, ...]) -> bool:
        a = frozenset().union(*(self.sanc[i] for i in src))
        return bool(a & frozenset().union(*(self.tanc[j] for j in tgt)))


_LOOSE = 1.5  # a bead within this factor of the usual length ratio is plausible as it is
_TIGHT = 1.3


def refine(beads: list[Bead], sz: _Sizes) -> list[Bead]:
    """Undo what the length model does to errors, the very things mtcheck looks for. The
    dynamic programme hides a cut sentence in a 2-2 bead, a dropped one in a 2-1 bead, and
    splits a badly shortened sentence into an omission and an addition. Shared anchors decide:
    sentences that share one belong together; a sentence that shares none with a bead it
    was merged into, and without which the bead fits, stands alone."""
    out: list[Bead] = []
    for bead in beads:
        prev = out[-1] if out else None
        if (
            prev is not None
            and _lone_pair(prev, bead)
            and sz.shared(prev.source + bead.source, prev.target + bead.target)
        ):
            out[-1] = Bead(prev.source + bead.source, prev.target + bead.target)
            continue
        out.extend(_split(bead, sz))
    return _regroup(out, sz)


def _regroup(beads: list[Bead], sz: _Sizes) -> list[Bead]:
    """A sentence merged into its neighbour's bead beside a sentence left alone on the other
    side: when it shares an anchor with the lone one and none with its own bead, the two are
    one badly cut translation ("Work will begin in September." for a long source sentence)."""
    out = list(beads)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        if len(b.source) == 1 and not b.target and len(a.target) >= 2:
            last = a.target[-1:]
            if sz.shared(b.source, last) and not sz.shared(a.source, last):
                out[k], out[k + 1] = Bead(a.source, a.target[:-1]), Bead(b.source, last)
        elif len(a.source) == 1 and not a.target and len(b.target) >= 2:
            first = b.target[:1]
            if sz.shared(a.source, first) and not sz.shared(b.source, first):
                out[k], out[k + 1] = Bead(a.source, first), Bead(b.source, b.target[1:])
        elif len(b.target) == 1 and not b.source and len(a.source) >= 2:
            last = a.source[-1:]
            if sz.shared(last, b.target) and not sz.shared(last, a.target):
                out[k], out[k + 1] = Bead(a.source[:-1], a.target), Bead(last, b.target)
        elif len(a.target) == 1 and not a.source and len(b.source) >= 2:
            first = b.source[:1]
            if sz.shared(first, a.target) and not sz.shared(first, b.target):
                out[k], out[k + 1] = Bead(first, a.target), Bead(b.source[1:], b.target)
    return out


def _lone_pair(a: Bead, b: Bead) -> bool:
    return {(len(a.source), len(a.target)), (len(b.source), len(b.target))} == {(1, 0), (0, 1)}


def _split(bead: Bead, sz: _Sizes) -> list[Bead]:
    src, tgt = bead.source, bead.target
    if len(src) == 2 and len(tgt) == 2:
        (s0, s1), (t0, t1) = src, tgt
        diagonal = sz.shared((s0,), (t0,)) or sz.shared((s1,), (t1,))
        if diagonal and not sz.shared((s0,), (t1,)) and not sz.shared((s1,), (t0,)):
            return [Bead((s0,), (t0,)), Bead((s1,), (t1,))]
        return [bead]
    if 1 <= len(tgt) < len(src) and not _fits(sz, src, tgt, _LOOSE):
        for drop, before in ((src[0], True), (src[-1], False)):
            rest = tuple(i for i in src if i != drop)
            if _fits(sz, rest, tgt, _TIGHT) and not sz.shared((drop,), tgt):
                alone = Bead((drop,), ())
                return [alone, Bead(rest, tgt)] if before else [Bead(rest, tgt), alone]
    if 1 <= len(src) < len(tgt) and not _fits(sz, src, tgt, _LOOSE):
        for drop, before in ((tgt[0], True), (tgt[-1], False)):
            rest = tuple(j for j in tgt if j != drop)
            if _fits(sz, src, rest, _TIGHT) and not sz.shared(src, (drop,)):
                alone = Bead((), (drop,))
                return [alone, Bead(src, rest)] if before else [Bead(src, rest), alone]
    return [bead]


def _fits(sz: _Sizes, src: tuple[int, ...], tgt: tuple[int, ...], limit: float) -> bool:
    return 1 / limit <= sz.factor(src, tgt) <= limit


def _runs(anc: list[frozenset[str]], longest: int = 3) -> list[list[tuple[frozenset[str], frozenset[str]]]]:
    """``out[i][k]``: the anchors of the ``k`` sentences before ``i`` (``k`` up to
    ``longest``), strong (numbers, names) and weak (cognates, marks) apart, so that a bead's
    bonus is two set intersections."""
    out: list[list[tuple[frozenset[str], frozenset[str]]]] = []
    for i in range(len(anc) + 1):
        row = []
        for k in range(min(i, longest) + 1):
            run = frozenset().union(*anc[i - k : i])
            weak = frozenset(a for a in run if a[:2] in ("c:", "p:"))
            row.append((run - weak, weak))
        out.append(row)
    return out


def _dp(
    slen: list[int], tlen: list[int], sanc: list[frozenset[str]], tanc: list[frozenset[str]], ratio: float
) -> list[Bead]:
    n, m = len(slen), len(tlen)
    if n == 0 or m == 0:
        return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
    # The band follows the scaled diagonal (i * m / n), so a different number of sentences
    # on the two sides needs no wider band; the corner (n, m) is always inside it.
    band = _BAND
    # rows[i][j]: the cheapest cost of aligning the first i source and j target sentences,
    # and the last bead's shape. Anchors of runs of up to three sentences, sums of lengths by
    # prefix, the log priors and the length costs already met (a text of many sentences of
    # one length asks for the same few), all computed once: a cell is a few lookups.
    rows: list[dict[int, tuple[float, tuple[int, int]]]] = [{0: (0.0, (0, 0))}]
    s_runs = _runs(sanc)
    t_runs = _runs(tanc)
    s_sum = [0, *itertools.accumulate(slen)]
    t_sum = [0, *itertools.accumulate(tlen)]
    length_costs: dict[tuple[int, int], float] = {}
    moves = [(di, dj, -math.log(prior)) for (di, dj), prior in _PRIORS.items()]
    prev_hi = 0
    for i in range(n + 1):
        if i:
            rows.append({})
        row = rows[i]
        centre = i * m / n
        # The row starts no later than the last one ended: where one side has many times the
        # other's sentences, the diagonal jumps further than a bead reaches, and the end (n, m)
        # must stay reachable (an additions-only path along the row joins them).
        lo, hi = max(0, min(int(centre) - band, prev_hi)), min(m, int(centre) + band)
        prev_hi = hi
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            best: tuple[float, tuple[int, int]] | None = None
            for di, dj, prior_cost in moves:
                if di > i or dj > j:
                    continue
                prev = rows[i - di].get(j - dj)
                if prev is None:
                    continue
                # A sentence left out (or added) costs its prior alone: Gale and Church's length
                # cost would make a long omission near impossible, and those are the ones to find.
                c = prev[0] + prior_cost
                if di and dj:
                    lengths = (s_sum[i] - s_sum[i - di], t_sum[j] - t_sum[j - dj])
                    lc = length_costs.get(lengths)
                    if lc is None:
                        lc = length_costs[lengths] = _length_cost(*lengths, ratio)
                    c += lc
                    s_strong, s_weak = s_runs[i][di]
                    t_strong, t_weak = t_runs[j][dj]
                    # Per anchor shared: _ANCHOR_BONUS, or _WEAK_BONUS for a weak one.
                    c -= len(s_strong & t_strong) * _ANCHOR_BONUS + len(s_weak & t_weak) * _WEAK_BONUS
                if best is None or c < best[0]:
                    best = (c, (di, dj))
            if best is not None:
                row[j] = best
    beads: list[Bead] = []
    i, j = n, m
    while (i, j) != (0, 0):
        di, dj = rows[i][j][1]
        beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    beads.reverse()
    return beads
