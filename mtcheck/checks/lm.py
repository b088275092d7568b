"""Checks by the language model: improbable words (MT801) and casing in context (MT103, with the casing family).

They read the document's scores from ``ctx.lm`` (computed once per document by
``mtcheck.lm.analysis``) and never run without a model. Thresholds were calibrated on the
error-free segments of WMT20 zh-en MQM (see BENCHMARKS.md) and are tested on other years.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mtcheck.checks.base import Check, Context
from mtcheck.checks.lexicon import candidate_matchers
from mtcheck.document import Document
from mtcheck.lm.analysis import LmAnalysis, SentenceAnalysis, WordScore
from mtcheck.model import Applicability, Example, Finding, Rule, Severity

# Thresholds on a word's anomaly come with the model (registry.Calibration).
# Content words of everyday vocabulary: function words ("in", "at") swing with word order, and
# rare words ("perfunctorily") are rare everywhere; literal translations use common words.
MIN_UNIGRAM_BITS = 10.0
MAX_UNIGRAM_BITS = 22.0
# A replacement is offered when it makes the sentence this many bits more probable.
MARGIN = 2.0
# Casing: bits the capitalised form saves, first as a cheap bound, then over the sentence.
CASING_BOUND = 4.0
CASING_GAIN = 4.0

IMPROBABLE = Rule(
    code="MT801",
    slug="improbable-word",
    family="lm",
    summary="Word improbable in context (a literal translation?)",
    severity=Severity.MINOR,
    category="Accuracy/Mistranslation",
    languages=("en",),
    explanation=(
        "The language model finds the word far less probable here than its everyday frequency "
        "predicts: typical of an idiom translated word for word (French “bêtes noires” as "
        "“beasts”) or a wrong sense of a word. Replacements come from the idiom and false-friend "
        "packs, ranked by the model in the whole sentence, and are offered only when clearly "
        "better. Severity is major when a known literal rendering has a better replacement or "
        "the anomaly is very large; a word flagged without a replacement is minor."
    ),
    examples=(
        Example("The treaty between two of Washington’s {{beasts}} provides for military aid.", "arch-enemies"),
        Example("The treaty between two of Washington’s arch-enemies provides for military aid."),
    ),
)
IMPROBABLE_ALONE = Rule(
    code="MT802",
    slug="improbable-word-unexplained",
    family="lm",
    summary="Word improbable in context, with no known literal rendering behind it",
    severity=Severity.MINOR,
    category="Accuracy/Mistranslation",
    languages=("en",),
    explanation=(
        "The model's surprise alone, where no idiom or false-friend entry explains the word: "
        "MT801 without a replacement. On real MT articles only half of these words were errors "
        "to professional raters, whatever the size of the surprise (precision 0.53 into English "
        "at every threshold, base rate 0.26), so the rule is opt-in."
    ),
    opt_in="right only half the time on real articles (precision 0.53 into English, "
    "../shared/bench/mqm, at every surprise threshold), and 1.4 findings per 1,000 words of human "
    "references; MT801 keeps the findings a known literal rendering explains.",
    examples=(
        Example("The teacher taught the pupils what is recyclable garbage {{geese}}.", None),
        Example("The teacher taught the pupils which garbage is recyclable."),
    ),
)
LEARNED = Rule(
    code="MT810",
    slug="likely-error",
    family="lm",
    summary="Likely translation error (learned from professional MQM ratings)",
    severity=Severity.MINOR,
    category="Accuracy/Mistranslation",
    languages=("en",),
    explanation=(
        "A head trained on professional MQM error spans of WMT news translations reads the "
        "language model's states, surprisal and entropy at each word and its successor, and "
        "gives the probability that raters would mark the word (mtcheck/lm/weights/README.md: "
        "data, split, figures). Words above the threshold chosen on the training documents are "
        "reported, adjacent ones together. No fix: the head says where, not what. A head may "
        "carry a category layer and a major threshold; the shipped one has neither (its category "
        "layer never beat naming the commonest category, and no threshold was right 9 times in "
        "10), so its findings are minor Accuracy/Mistranslation."
    ),
    opt_in="right 0.58 of the time on held-out whole articles into English (base rate 0.24, "
    "chance at its span lengths 0.32; ../shared/bench/mqm) and 5.4 findings per 1,000 words of "
    "human references: a triage signal for reviewers and vendor comparisons, below what an "
    "editor's default run keeps (0.75, and under 1 per 1,000 words on correct text).",
    examples=(
        Example("Wang said the company would use the funds to do big and {{do}} strong the industry.", None),
        Example("Wang said the company would use the funds to expand the business and make it stronger."),
    ),
)
CASING = Rule(
    code="MT103",
    slug="lm-casing",
    family="lm",
    summary="Proper noun in lowercase (by the language model)",
    severity=Severity.MAJOR,
    category="Fluency/Spelling",
    languages=("en",),
    explanation=(
        "The model finds the capitalised form far more probable in this sentence: a name the "
        "gazetteers do not list, or a word that is a name here (“exports to china”). Complements "
        "the word-list casing rule MT101."
    ),
    examples=(
        Example("Officials in {{zaporizhzhia}} said the plant was safe.", "Zaporizhzhia"),
        Example("Officials in Zaporizhzhia said the plant was safe."),
    ),
)


@dataclass(frozen=True)
class Candidate:
    start: int  # plain-text offsets of the text it replaces
    end: int
    replacement: str


def _flagged_runs(sent: SentenceAnalysis, threshold: float) -> list[list[WordScore]]:
    """Adjacent improbable content words, grouped: a phrase translated word for word."""
    runs: list[list[WordScore]] = []
    last: WordScore | None = None
    for w in sent.words:
        hit = w.eligible and MIN_UNIGRAM_BITS <= w.unigram <= MAX_UNIGRAM_BITS and w.anomaly >= threshold
        if hit and last is not None and runs and runs[-1][-1] is last:
            runs[-1].append(w)
        elif hit:
            runs.append([w])
        last = w
    return runs


def _candidates(doc: Document, ctx: Context, sent: SentenceAnalysis, start: int, end: int) -> list[Candidate]:
    text = doc.text
    out: list[Candidate] = []
    for mt in candidate_matchers(ctx.lang, ctx.src_lang):
        if not mt.may_match(text[sent.start : sent.end].lower()):
            continue
        for m in mt.regex.finditer(text, sent.start, sent.end):
            if m.start() < end and start < m.end():
                out.extend(Candidate(m.start(), m.end(), r) for r in mt.replacements(m))
    return list(dict.fromkeys(out))


def _rank(
    lm: LmAnalysis, doc: Document, sent: SentenceAnalysis, cands: list[Candidate]
) -> list[tuple[float, Candidate]]:
    """Candidates that make the sentence clearly more probable, best first, with the bits saved."""
    if not cands:
        return []
    base = doc.text[sent.start : sent.end].replace("\n", " ")
    variants = [base[: c.start - sent.start] + c.replacement + base[c.end - sent.start :] for c in cands]
    bits = lm.variants_bits(variants)
    own = sent.scores.total
    ranked = sorted(((own - b, c) for b, c in zip(bits, cands, strict=True)), key=lambda x: -x[0])
    return [(gain, c) for gain, c in ranked if gain >= MARGIN]


def improbable(doc: Document, ctx: Context) -> Iterator[Finding]:
    lm = ctx.lm
    if lm is None:
        return
    cal = lm.spec.calibration
    for sent in lm.sentences:
        # A word the model wants capitalised is a name in lowercase: the casing check's business.
        names = {p.start for p in sent.casing if p.gain >= CASING_BOUND}
        for run in _flagged_runs(sent, cal.with_candidate):
            if any(w.start in names for w in run):
                continue
            start, end = run[0].start, run[-1].end
            worst = max(w.anomaly for w in run)
            ranked = _rank(lm, doc, sent, _candidates(doc, ctx, sent, start, end))
            phrase = doc.text[start:end]
            # Two kinds of evidence agreeing (the model's surprise, and a known literal
            # rendering whose idiomatic form the model prefers) make a major finding.
            severity = Severity.MAJOR if ranked or worst >= cal.major else Severity.MINOR
            if ranked:
                best = ranked[0][1]
                same_span = [r.replacement for _, r in ranked if (r.start, r.end) == (best.start, best.end)]
                yield IMPROBABLE.finding(
                    best.start,
                    best.end,
                    f"“{phrase}” is improbable here ({worst:.0f} bits more surprising than expected): "
                    f"a word-for-word translation? “{best.replacement}” reads {ranked[0][0]:.0f} bits better",
                    suggestions=same_span,
                    applicability=Applicability.SUGGESTION,
                    severity=severity,
                )
            elif worst >= (cal.major if all(w.quoted for w in run) else cal.alone):
                # Quoted speech is often unusual on purpose: alone, only a large anomaly counts.
                yield IMPROBABLE_ALONE.finding(
                    start,
                    end,
                    f"“{phrase}” is improbable here ({worst:.0f} bits more surprising than expected): "
                    "check the translation",
                    applicability=None,
                    severity=severity,
                )


def _risky_runs(sent: SentenceAnalysis, threshold: float) -> list[list[WordScore]]:
    runs: list[list[WordScore]] = []
    last: WordScore | None = None
    for w in sent.words:
        if w.risk >= threshold:
            if last is not None and runs and runs[-1][-1] is last:
                runs[-1].append(w)
            else:
                runs.append([w])
        last = w
    return runs


def learned(doc: Document, ctx: Context) -> Iterator[Finding]:
    lm = ctx.lm
    head = getattr(lm.scorer, "head", None) if lm is not None else None
    if lm is None or head is None or "minor" not in head.thresholds:
        return
    minor, major = head.thresholds["minor"], head.thresholds.get("major")
    for sent in lm.sentences:
        for run in _risky_runs(sent, minor):
            top = max(run, key=lambda w: w.risk)
            category = head.categories[top.category] if 0 <= top.category < len(head.categories) else None
            severe = major is not None and top.risk >= major
            yield LEARNED.finding(
                run[0].start,
                run[-1].end,
                f"“{doc.text[run[0].start : run[-1].end]}” looks like a translation error to the learned "
                f"head (score {top.risk:.2f}, threshold {minor:.2f}"
                + (f", most like {category}" if category else "")
                + "): check it against the source",
                applicability=None,
                severity=Severity.MAJOR if severe else Severity.MINOR,
                category=category,
            )


def casing(doc: Document, ctx: Context) -> Iterator[Finding]:
    lm = ctx.lm
    if lm is None:
        return
    todo = [(s, p) for s in lm.sentences for p in s.casing if p.gain >= CASING_BOUND]
    if not todo:
        return
    variants = []
    for s, p in todo:
        base = doc.text[s.start : s.end].replace("\n", " ")
        variants.append(base[: p.start - s.start] + p.alternative + base[p.end - s.start :])
    for (s, p), bits in zip(todo, lm.variants_bits(variants), strict=True):
        gain = s.scores.total - bits
        if gain >= CASING_GAIN:
            yield CASING.finding(
                p.start,
                p.end,
                f"“{p.alternative}” is {gain:.0f} bits more probable here: a proper noun?",
                suggestions=(p.alternative,),
                applicability=Applicability.UNSAFE,
            )


CHECK = Check(
    "lm",
    (IMPROBABLE, IMPROBABLE_ALONE, CASING, LEARNED),
    Check.of("lm", ((IMPROBABLE, IMPROBABLE_ALONE), improbable), (CASING, casing), (LEARNED, learned)).run,
    needs_model=True,
    whole_document=True,  # the model scored the whole document's sentences
)
