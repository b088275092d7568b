"""Lexicon packs: calques and false friends as data (``mtcheck/rules/**.yaml``), no code per rule.

Two kinds, in Vale's spirit:
- ``institution``: [the] [modifier] NATIONALITY [modifier] INSTITUTION -> the English news name,
  covering the class (any listed nationality, any listed institution, word-order variants);
- ``substitution``: a regular expression with suggestions or a rewrite, per entry.
Files under ``rules/lang/<tgt>/`` apply to that target language; files under
``rules/pairs/<src>-<tgt>/`` apply when the source language is that one, or, for entries marked
``standalone``, whenever the target language matches (they are wrong whatever the source).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from mtcheck import langs
from mtcheck.checks import anchors
from mtcheck.checks.anchors import Anchors, may_match, required_literals
from mtcheck.checks.base import Check, Context
from mtcheck.document import Document
from mtcheck.model import Applicability, Example, Finding, Rule, Severity
from mtcheck.resources import cached


@dataclass(frozen=True)
class Matcher:
    """One compiled entry of a pack, producing findings for ``rule``."""

    rule: Rule
    pattern: str
    target: str
    pair: str | None  # "fr-en", or None for a target-language file
    standalone: bool
    message: str
    suggestions: tuple[str, ...]
    rewrite: tuple[str, str] | None
    applicability: Applicability
    severity: Severity | None
    plural: str = ""  # suffix added to suggestions when the match ends with it
    # For institutions: group name -> value maps used to build the replacement.
    institution: dict[str, Any] | None = None
    # Capitalised words one of which every match contains (a nationality's first word): a set
    # intersection per document is far cheaper than scanning with a large alternation.
    triggers: frozenset[str] = frozenset()
    # Ordinary English that is only wrong in context ("beasts" for "bêtes noires"): never run as
    # a rule; when the language model flags the word, the entry supplies candidate fixes.
    lm_only: bool = False
    flags: int = re.IGNORECASE
    # Lowercase strings one of which every match contains (see anchors.py); None: always run.
    anchors: Anchors | None = None
    keys: tuple[str, ...] = ()  # trigrams indexing it (see _trigram_index); empty: always run
    # A false friend that is also ordinary English ("actually", "formation"): with the source
    # text, a finding only where it holds the cognate (this pattern, case-insensitive); with
    # neither source nor source language, only in an article where another entry of the same
    # pair shows where it comes from. On real articles translated from Chinese these words
    # were nearly always right (precision 0.04 as bare word rules). The model may use the
    # entry's suggestions too, like ``lm_only``.
    cognate: str | None = None
    # A match shows the text comes from a European language's word order ("the French Minister
    # of the Economy"): evidence for every pair's ordinary-word false friends (see ``run``).
    source_evidence: bool = False

    @property
    def regex(self) -> re.Pattern[str]:
        return _compile(self.pattern, self.flags)

    def may_match(self, lowered: str) -> bool:
        return may_match(self.anchors, lowered)

    def applies(self, ctx: Context) -> bool:
        """For this target language and this source language, or an unknown one (then a
        pair entry that needs its source is only a guess: see ``guessed``)."""
        if ctx.lang != self.target:
            return False
        if self.pair is None or self.standalone or ctx.src_lang is None:
            return True
        return f"{ctx.src_lang}-{ctx.lang}" == self.pair

    def guessed(self, ctx: Context) -> bool:
        """A pair entry applied without knowing that the text comes from that language."""
        return self.pair is not None and not self.standalone and ctx.src_lang is None

    def replacements(self, m: re.Match[str]) -> list[str]:
        if self.institution is not None:
            return [_institution_fix(m, self.institution)]
        found = m.group()
        out = [re.sub(self.rewrite[0], self.rewrite[1], found)] if self.rewrite else list(self.suggestions)
        if self.plural and found.lower().endswith(self.plural):
            out = [x if x.endswith(self.plural) else x + self.plural for x in out]
        if found[:1].isupper():
            out = [s[:1].upper() + s[1:] for s in out]
        return out


def _institution_fix(m: re.Match[str], spec: dict[str, Any]) -> str:
    det = (m.group("det") or "").strip()
    nat = spec["nationalities"][m.group("nat")]
    if det.lower() in ("a", "an"):  # "an American envoy" -> "a US envoy" ("US" sounds "you")
        article = "an" if nat[:1] in "AEIO" else "a"
        det = article.capitalize() if det[0].isupper() else article
    mod1, mod2 = ((m.group(g) or "").strip() for g in ("mod1", "mod2"))
    name = spec["names"][(nat, m.group("inst").lower())] or m.group("inst")
    # An office's own modifier goes after the nationality ("deputy American ambassador" ->
    # "US deputy ambassador"); a time modifier stays before it ("former US Defense Secretary").
    before, after = ("", mod1) if mod1.lower() in spec["office_modifiers"] else (mod1, "")
    if after and name[:1].isupper():
        after = after.capitalize()  # "Italian Deputy Prime Minister"
    order = [det, before, nat, after, mod2, name]
    parts = [p for p in order if p]
    return " ".join(parts)


@cache
def _compile(pattern: str, flags: int) -> re.Pattern[str]:
    """Compiled on first use: most patterns never meet a text containing their anchors."""
    return re.compile(pattern, flags)


def _examples(raw: list[dict[str, Any]] | None, lang: str, pair: str | None) -> list[Example]:
    src = pair.split("-")[0] if pair else None
    return [
        Example(
            e["text"], e.get("fix"), lang=e.get("lang", lang), src_lang=e.get("src_lang", src), source=e.get("source")
        )
        for e in raw or []
    ]


def _institution_matchers(rule: Rule, spec: dict[str, Any], lang: str) -> Iterator[Matcher]:
    mods = "|".join(map(re.escape, spec.get("modifiers", [])))
    names: dict[tuple[str, str], str] = {}
    severities: dict[tuple[str, str], str] = {}
    only: dict[tuple[str, str], list[str]] = {}
    for attributive, insts in spec["institutions"].items():
        # "*": offices of every nationality of the rule.
        owners = set(spec["nationalities"].values()) if attributive == "*" else {attributive}
        for inst in insts:
            for v in inst["variants"]:
                for owner in owners:
                    names[(owner, v.lower())] = inst["name"]
                if "severity" in inst:
                    severities[(attributive, v.lower())] = inst["severity"]
                if "only" in inst:
                    only[(attributive, v.lower())] = inst["only"]
    nats = spec["nationalities"]
    # Domains belong to every nationality of the rule: "Minister of [the] Transports" ->
    # "Transport Minister".
    domains = spec.get("domains", {})
    listed = {v for (_, v) in names}
    for domain, short in domains.items():
        for office in ("Minister", "Ministry"):
            for prep in ("of", "of the", "for"):
                for attributive in set(nats.values()):
                    names[(attributive, f"{office} {prep} {domain}".lower())] = f"{short} {office}"
    variants = [re.escape(v) for v in sorted(listed, key=len, reverse=True)]
    if domains:  # as structure, not as every combination: compiling stays fast
        alternatives = "|".join(re.escape(d) for d in sorted(domains, key=len, reverse=True))
        # First: the longest match must win over a listed "minister".
        variants.insert(0, rf"Minist(?:er|ry) (?:of the|of|for) (?:{alternatives})")
    adjectives = sorted(nats, key=len, reverse=True)
    # One pattern for the whole rule: nationalities and institutions as alternations, the
    # pair checked against the table in run(). An adjective that already is the attributive
    # form ("British") is only wrong before institutions whose English name differs;
    # run() drops a match whose fix equals the text.
    pattern = (
        rf"(?<![\w-])(?P<det>[Tt]he |[Aa]n? )?(?P<mod1>(?:{mods}) )?(?P<nat>{'|'.join(map(re.escape, adjectives))}) "
        rf"(?P<mod2>(?:{mods}) )?(?P<inst>(?i:{'|'.join(variants)}))(?![\w-])"
    )
    yield Matcher(
        rule,
        pattern,
        lang,
        None,
        True,
        rule.summary,
        (),
        None,
        Applicability(spec.get("applicability", "unsafe")),
        None,
        triggers=frozenset(a.split()[0] for a in adjectives),
        flags=0,
        source_evidence=bool(spec.get("source_evidence", False)),
        institution={
            "nationalities": nats,
            "names": names,
            "severities": severities,
            "only": only,
            "office_modifiers": frozenset(spec.get("office_modifiers", [])),
        },
    )


def _load_file(text: str, lang: str, pair: str | None) -> Iterator[tuple[Rule, list[Matcher]]]:
    # libyaml's loader is ten times faster than the pure-Python one, and this runs per process.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(text, Loader=loader) or {}
    for spec in data.get("rules", []):
        examples = _examples(spec.get("examples"), lang, pair)
        for entry in spec.get("entries", []):
            examples += _examples(entry.get("examples"), lang, pair)
        rule = Rule(
            code=spec["code"],
            slug=spec["slug"],
            family="lexicon",
            summary=spec["summary"],
            severity=Severity.parse(spec.get("severity", "minor")),
            category=spec["category"],
            languages=(lang,),
            pairs=(pair,) if pair else (),
            explanation=" ".join(str(spec.get("explanation", "")).split()),
            examples=tuple(examples),
            opt_in=" ".join(str(spec.get("opt_in", "")).split()),
        )
        app = Applicability(spec.get("applicability", "unsafe"))
        matchers: list[Matcher] = []
        if spec["kind"] == "institution":
            matchers.extend(_institution_matchers(rule, spec, lang))
        elif spec["kind"] == "substitution":
            for entry in spec["entries"]:
                rw = entry.get("replace")
                flags = 0 if entry.get("case_sensitive") else re.IGNORECASE
                matchers.append(
                    Matcher(
                        rule,
                        entry["pattern"],
                        lang,
                        pair,
                        bool(entry.get("standalone", False)),
                        entry.get("message", rule.summary),
                        tuple(entry.get("suggestions", ())),
                        (rw[0], rw[1]) if rw else None,
                        Applicability(entry.get("applicability", app.value)),
                        Severity.parse(entry["severity"]) if "severity" in entry else None,
                        str(entry.get("plural", "")),
                        lm_only=bool(entry.get("lm_only", False)),
                        flags=flags,
                        anchors=_rarest_first(found := required_literals(entry["pattern"], flags)),
                        keys=_keys(found),
                        cognate=entry.get("cognate"),
                    )
                )
        else:
            raise ValueError(f"{spec['code']}: unknown kind {spec['kind']!r}")
        yield rule, matchers


def _merge(a: Rule, b: Rule) -> Rule:
    """The same code in several files (one per language pair) is one rule."""
    return Rule(
        code=a.code,
        slug=a.slug,
        family=a.family,
        summary=a.summary,
        severity=a.severity,
        category=a.category,
        languages=tuple(dict.fromkeys(a.languages + b.languages)),
        pairs=tuple(dict.fromkeys(a.pairs + b.pairs)),
        explanation=a.explanation or b.explanation,
        examples=a.examples + b.examples,
        opt_in=a.opt_in or b.opt_in,
    )


@cache
def load_packs() -> tuple[tuple[Rule, ...], tuple[Matcher, ...]]:
    """Every rule and matcher of the packs shipped in ``mtcheck/rules``. Parsing a thousand
    patterns for their anchors takes half a second, so the result is kept in the cache folder
    under a digest of the packs and of the code that reads them."""
    files = [(f.read_text(encoding="utf-8"), lang, pair) for f, lang, pair in _pack_files()]
    h = hashlib.sha256()
    for code in (__file__, anchors.__file__):
        h.update(Path(code).read_bytes())
    for text, lang, pair in files:
        h.update(f"\0{lang}\0{pair}\0{text}".encode())
    return cached("packs", ("PyYAML",), lambda: _build_packs(files), data=h.hexdigest())


def _pack_files() -> list[tuple[Any, str, str | None]]:
    root = resources.files("mtcheck") / "rules"
    files: list[tuple[Any, str, str | None]] = []
    lang_root = root / "lang"
    for lang_dir in sorted(lang_root.iterdir(), key=lambda p: p.name):
        for f in sorted(lang_dir.iterdir(), key=lambda p: p.name):
            if f.name.endswith(".yaml"):
                files.append((f, lang_dir.name, None))
    for pair_dir in sorted((root / "pairs").iterdir(), key=lambda p: p.name):
        for f in sorted(pair_dir.iterdir(), key=lambda p: p.name):
            if f.name.endswith(".yaml"):
                files.append((f, pair_dir.name.split("-")[1], pair_dir.name))
    return files


def _build_packs(files: list[tuple[str, str, str | None]]) -> tuple[tuple[Rule, ...], tuple[Matcher, ...]]:
    rules: dict[str, Rule] = {}
    matchers: list[Matcher] = []
    for text, lang, pair in files:
        for rule, ms in _load_file(text, lang, pair):
            rules[rule.code] = _merge(rules[rule.code], rule) if rule.code in rules else rule
            matchers.extend(ms)
    final = {code: r for code, r in rules.items()}
    # Matchers keep a reference to the merged rule so that findings carry the full metadata.
    matchers = [_rebind(m, final[m.rule.code]) for m in matchers]
    return tuple(sorted(final.values(), key=lambda r: r.code)), tuple(matchers)


def _rebind(m: Matcher, rule: Rule) -> Matcher:
    from dataclasses import replace

    return replace(m, rule=rule)


_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")


@cache
def _trigram_index() -> tuple[dict[str, list[int]], list[int]]:
    """Matcher positions by a trigram of each option of their strongest anchor set, and those
    with no anchor. A text holds an option only if it holds each of its trigrams, so one pass
    over the text's trigrams finds the few dozen matchers worth a closer look among a thousand;
    checking every matcher's anchors cost more than all other rules. The trigram chosen is the
    one of the rarest letters ("rpe" of "carpet", not "the")."""
    index: dict[str, list[int]] = {}
    always: list[int] = []
    for i, mt in enumerate(load_packs()[1]):
        if mt.lm_only:
            continue  # never run as a rule
        if not mt.keys:
            always.append(i)
        for key in mt.keys:
            index.setdefault(key, []).append(i)
    return index, always


# English letters from the commonest: a trigram of late letters is a selective key.
_LETTER_RANK = {c: i for i, c in enumerate("etaoinshrdlcumwfgypbvkjxqz")}


def _rarity(gram: str) -> int:
    return sum(_LETTER_RANK.get(c, -5) for c in gram)


def _rare_trigram(option: str) -> str:
    return max((option[i : i + 3] for i in range(len(option) - 2)), key=_rarity)


def _set_rarity(options: frozenset[str]) -> int:
    return min(_rarity(_rare_trigram(o)) for o in options)


def _rarest_first(anchors: Anchors | None) -> Anchors | None:
    """The sets a text is least likely to satisfy first, so that a miss is found at once."""
    return tuple(sorted(anchors, key=_set_rarity, reverse=True)) if anchors else anchors


def _keys(anchors: Anchors | None) -> tuple[str, ...]:
    """The trigrams of the anchor set whose commonest option is rarest ("rudder|helm|tiller",
    not " the ")."""
    if not anchors:
        return ()
    best = max(anchors, key=_set_rarity)
    return tuple(sorted({_rare_trigram(option) for option in best}))


def _candidates(lowered: str) -> list[int]:
    """Positions in ``load_packs()[1]`` of the matchers whose trigram key ``lowered`` holds."""
    index, always = _trigram_index()
    present = {lowered[i : i + 3] for i in range(len(lowered) - 2)}
    chosen = set(always)
    for key in present & index.keys():
        chosen.update(index[key])
    return sorted(chosen)


# The text is searched a window at a time: a pattern's anchors are looked for, and the
# pattern is run, in _WINDOW characters and _REACH more (a match that starts in the window may
# end past it, and a lookahead look further), never over the whole text. Over a long text
# nearly every pattern's anchors occur somewhere, and a thousand patterns each scanned all of
# it (ten seconds a megabyte); in a window only the few whose words are there run. A match
# starts in exactly one window, so the findings are the whole text's for any match shorter
# than _REACH: the packs' phrases are a few words; 33 of their patterns repeat without a bound
# ("the official (?:[A-Z][a-z]+ )*... agency", "\w+"), and a match of theirs longer than 512
# characters, which no sentence has, would be cut.
_WINDOW = 4096
_REACH = 512


def run(doc: Document, ctx: Context) -> Iterator[Finding]:
    _, matchers = load_packs()
    text = doc.text
    usable: dict[int, bool] = {}  # matcher position -> it applies to this check's languages
    resume: dict[int, int] = {}  # matcher position -> where its last match ended
    # Ordinary-word false friends of a guessed source language wait for the article's own
    # evidence of that language: another entry of the same pair's packs found in it.
    held: dict[str, list[Finding]] = {}
    evidence: set[str] = set()
    for start in range(0, len(text), _WINDOW):
        end = min(len(text), start + _WINDOW)
        stop = min(len(text), end + _REACH)
        window = text[start:stop]
        capitalised = set(_CAPITALISED.findall(window))
        lowered = window.lower()
        for i in _candidates(lowered):
            mt = matchers[i]
            if i not in usable:
                usable[i] = (
                    not mt.lm_only
                    and mt.applies(ctx)
                    and ctx.config.selects(mt.rule.code)
                    and _cognate_state(mt, ctx) != "skip"
                )
            if not usable[i] or (mt.triggers and mt.triggers.isdisjoint(capitalised)):
                continue
            if not mt.may_match(lowered):
                continue
            for m in mt.regex.finditer(text, max(start, resume.get(i, 0)), stop):
                if m.start() >= end:
                    break  # the next window's
                resume[i] = m.end()
                finding = _finding(mt, m, ctx)
                if finding is None:
                    continue
                if mt.pair is not None and _cognate_state(mt, ctx) == "hold":
                    held.setdefault(mt.pair, []).append(finding)
                    continue
                if mt.pair is not None:
                    evidence.add(mt.pair)
                if mt.source_evidence:
                    evidence.add("*")
                yield finding
    for pair, found in held.items():
        if pair in evidence or "*" in evidence:
            yield from found


def _cognate_state(mt: Matcher, ctx: Context) -> str:
    """ "run" for an entry without a cognate, or one whose cognate the source text holds (or
    whose source language is given without its text); "skip" when the source text lacks the
    cognate; "hold" when nothing is known of the source: then only the article's other
    entries of that pair can tell it was translated from that language."""
    if mt.cognate is None:
        return "run"
    if ctx.source:
        return "run" if _compile(mt.cognate, re.IGNORECASE).search(ctx.source) else "skip"
    return "run" if ctx.src_lang else "hold"


def _finding(mt: Matcher, m: re.Match[str], ctx: Context) -> Finding | None:
    severity = mt.severity
    if mt.institution is not None:
        key = (mt.institution["nationalities"][m.group("nat")], m.group("inst").lower())
        allowed = mt.institution["only"].get(key)
        if allowed and m.group("nat") not in allowed:
            return None
        if key not in mt.institution["names"]:
            return None
        sev = mt.institution["severities"].get(key)
        severity = Severity.parse(sev) if sev else None
        repl = mt.replacements(m)
        if repl[0] == m.group():
            return None
        message = f"English news writes “{repl[0]}”"
    else:
        repl = mt.replacements(m)
        message = mt.message
    applicability = mt.applicability
    if mt.guessed(ctx):
        # Without --src-lang a false friend is a guess: say so, and never fix it.
        source = langs.name((mt.pair or "-").split("-")[0] or None, "the source")
        message = f"If translated from {source}: {message}"
        applicability = Applicability.SUGGESTION
    return mt.rule.finding(
        m.start(),
        m.end(),
        message,
        suggestions=repl,
        applicability=applicability,
        severity=severity,
    )


def make_check() -> Check:
    rules, _ = load_packs()
    return Check("lexicon", rules, run)


def candidate_matchers(lang: str | None, src_lang: str | None) -> list[Matcher]:
    """Entries that offer replacements for a word the language model flags: those kept for the
    model (``lm_only``, or ordinary words with a ``cognate``), from the source language's pack,
    or from every pack when it is unknown."""
    _, matchers = load_packs()
    return [
        m
        for m in matchers
        if (m.lm_only or m.cognate)
        and m.target == lang
        and (src_lang is None or m.pair in (None, f"{src_lang}-{lang}"))
    ]
