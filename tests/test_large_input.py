"""Large inputs are checked in parts (issue 12): time linear in the length, memory bounded.

A text longer than ``engine.PART_SIZE`` is cut at paragraph breaks (else sentence breaks,
else spaces) and checked a part at a time. What must hold: each part gets the findings its
own check gives, shifted to its place; every span is right; a text that fits in a part is
checked as before; a single line megabytes long is cut too; and a process checking a large
file peaks at a small multiple of the file's size.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from mtcheck import engine
from mtcheck.api import check_document
from mtcheck.config import Config
from mtcheck.document import Part, parse, parts
from mtcheck.model import Finding

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "corpora" / "articles"
CONFIG = Config(lm=False)


def english_articles() -> list[str]:
    """The team's English plain-text articles, each with its own errors (names in lowercase,
    stray spaces, calques...), one paragraph a line."""
    return [p.read_text(encoding="utf-8").strip() + "\n" for p in sorted(ARTICLES.glob("*.en.txt"))]


def key(f: Finding, offset: int = 0) -> tuple[object, ...]:
    """What a finding says, its offsets taken back by ``offset``."""
    fix = None
    if f.fix is not None:
        span = (f.fix.start - offset, f.fix.end - offset) if f.fix.start is not None and f.fix.end is not None else None
        fix = (f.fix.replacement, f.fix.applicability, span)
    return (f.code, f.start - offset, f.end - offset, f.text, f.message, f.suggestions, fix, f.severity)


def test_each_part_gets_its_own_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Articles one after the other, checked in parts of 40,000 characters, give for each
    part exactly what that part's text gets checked alone: parts are cut between paragraphs,
    so what a check learns from its document (names capitalised elsewhere, quotation marks
    opened before) it learns from its part."""
    articles = english_articles()
    text = "".join(articles * 20)  # about 300,000 characters
    monkeypatch.setattr(engine, "PART_SIZE", 40_000)
    whole = check_document(text, lang="en", config=CONFIG).findings
    cuts = list(parts(parse(text, "en"), 40_000))
    assert len(cuts) >= 6 and not any(p.continued for p in cuts)
    assert all(text[p.start - 1] == "\n" for p in cuts[1:])  # at paragraph breaks
    expected = []
    for p in cuts:
        alone = check_document(text[p.start : p.end], lang="en", config=CONFIG).findings
        expected.extend(key(f) for f in alone)
    got = [key(f, p.start) for p in cuts for f in whole if p.start <= f.start < p.end]
    assert got == expected
    assert len(whole) == len(expected) > 20 * 50  # the articles' errors, found in every copy


def test_spans_point_into_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    articles = english_articles()
    text = "".join(articles * 10)
    monkeypatch.setattr(engine, "PART_SIZE", 30_000)
    findings = check_document(text, lang="en", config=CONFIG).findings
    assert findings
    for f in findings:
        assert text[f.start : f.end] == f.text
        if f.fix is not None and f.fix.start is not None:
            assert 0 <= f.fix.start <= f.fix.end <= len(text)


def test_an_article_is_checked_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under the part size nothing changes: one part, the whole text, the same findings."""
    text = "".join(english_articles())
    assert list(parts(parse(text, "en"), engine.PART_SIZE)) == [Part(0, len(text), False)]
    findings = [key(f) for f in check_document(text, lang="en", config=CONFIG).findings]
    monkeypatch.setattr(engine, "PART_SIZE", 10**9)
    assert findings == [key(f) for f in check_document(text, lang="en", config=CONFIG).findings]


def test_one_long_line_is_cut_at_sentences(monkeypatch: pytest.MonkeyPatch) -> None:
    """A single line of 600,000 characters is cut between sentences: the same sentences
    repeated give the same findings in every part as in the line checked whole."""
    sentences = " ".join(line.strip() for a in english_articles()[:4] for line in a.splitlines() if line.strip())
    text = ((sentences + " ") * (600_000 // len(sentences) + 1))[:600_000]
    monkeypatch.setattr(engine, "PART_SIZE", 50_000)
    cuts = list(parts(parse(text, "en"), 50_000))
    assert len(cuts) >= 12 and not any(p.continued for p in cuts)
    assert all(text[p.start - 1] == " " and text[p.start - 2] in '.!?”"' for p in cuts[1:])
    in_parts = check_document(text, lang="en", config=CONFIG).findings
    for f in in_parts:
        assert text[f.start : f.end] == f.text
    monkeypatch.setattr(engine, "PART_SIZE", 10**9)
    at_once = check_document(text, lang="en", config=CONFIG).findings
    # The line repeats the same articles: what a part learns from itself, the whole line
    # teaches too. Only a sentence cut by the line's end may differ.
    assert {key(f) for f in in_parts if f.end < len(text) - 2000} == {
        key(f) for f in at_once if f.end < len(text) - 2000
    }


def test_a_line_without_sentences_is_cut_at_spaces(monkeypatch: pytest.MonkeyPatch) -> None:
    """No paragraph or sentence to cut at: parts end at spaces, the part after starts inside
    a sentence, and no finding calls that a sentence starting in lowercase."""
    text = "the minister met officials in kyiv , and they talked " * 4000
    monkeypatch.setattr(engine, "PART_SIZE", 20_000)
    cuts = list(parts(parse(text, "en"), 20_000))
    assert len(cuts) > 5 and all(p.continued for p in cuts[1:])
    findings = check_document(text, lang="en", config=CONFIG).findings
    starts = [f for f in findings if f.code == "MT102"]
    assert [f.start for f in starts] == [0]  # the text's own first word only
    assert {f.code for f in findings} >= {"MT101", "MT201"}
    assert sum(f.code == "MT101" for f in findings) == 4000


# The child measures its own peak: the kernel's high-water mark of its memory (VmHWM), which
# a new program starts afresh. getrusage's ru_maxrss survives exec, so a child forked from this
# test process would report at least this process's size; it is the fallback off Linux.
_PEAK = """
import resource, sys
from mtcheck.cli import run
status = 0
try:
    run()
except SystemExit as e:
    status = e.code or 0
try:
    with open("/proc/self/status") as fh:
        peak = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
sys.stderr.write(f"PEAK {peak}\\n")
sys.exit(status)
"""


def _peak_of_check(path: Path, *args: str) -> tuple[int, int]:
    """(exit status, peak resident bytes) of ``mtcheck check PATH --no-lm --format jsonl``
    in a child process, as that child measures it."""
    code = _PEAK
    cmd = [sys.executable, "-c", code, "check", str(path), "--no-lm", "--lang", "en", "--format", "jsonl", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, HF_HUB_OFFLINE="1"))
    peak = next(int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("PEAK "))
    assert proc.stdout.count("\n") == 1, proc.stderr[-2000:]
    json.loads(proc.stdout)
    return proc.returncode, peak


_SUBJECTS = (
    "The minister", "The mayor of Lyon", "Officials in Geneva", "The central bank", "Police in Madrid",
    "The prime minister of Portugal", "A spokeswoman for the ministry", "The union", "Farmers in Brittany",
    "The European Commission", "Angela Moreau, the mayor,", "Local residents", "The company", "Rescue teams",
)  # fmt: skip
_VERBS = (
    "said on Monday that", "announced on Tuesday that", "told reporters on Wednesday that",
    "confirmed on Thursday that", "warned on Friday that", "said in a statement that",
)  # fmt: skip
_CLAUSES = (
    "talks would resume next week", "prices had risen by 3.5% in March", "the plan would cost 12 million euros",
    "more than 10,000 people had been evacuated", "the bridge would reopen in September",
    "no decision had been taken yet", "the strike would continue until the end of the month",
    "the budget deficit had narrowed to 4.1% of output", "two people had been injured in the fire",
    "the investigation was still under way", "the new law would take effect on 1 January",
)  # fmt: skip


def _large_text(size: int) -> str:
    """News text of about ``size`` characters: each of the team's articles (an error every
    hundred characters or so) followed by correct paragraphs of news sentences, about as
    many errors for their length as machine-translated news has."""
    rng = random.Random(12)
    out: list[str] = []
    n = 0
    while n < size:
        for article in english_articles():
            out.append(article)
            n += len(article)
            for _ in range(30):
                para = " ".join(
                    f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_CLAUSES)}."
                    for _ in range(rng.randint(2, 5))
                )
                out.append(para + "\n")
                n += len(para) + 1
    return "".join(out)[:size]


def test_memory_grows_with_the_text_not_faster(tmp_path: Path) -> None:
    """A 3 MB file: the process peaks within ten times the file's size above what checking
    a short file costs (the word lists, detectors and patterns every check loads)."""
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    text = _large_text(3_000_000)
    small.write_text(text[:20_000], encoding="utf-8")
    large.write_text(text, encoding="utf-8")
    _, base = _peak_of_check(small)
    status, peak = _peak_of_check(large)
    assert status == 1
    assert peak - base < 10 * large.stat().st_size, f"{base / 1e6:.0f} MB, then {peak / 1e6:.0f} MB for 3 MB"


@pytest.mark.skipif(
    os.environ.get("MTCHECK_LARGE_TESTS") != "1",
    reason="a 20 MB file takes about a minute to check: set MTCHECK_LARGE_TESTS=1",
)
def test_a_20_megabyte_file_peaks_within_ten_times_its_size(tmp_path: Path) -> None:
    """The same at 20 MB, where the fixed cost (about 95 MB: the name lexicon, the language
    detector's models, the patterns) is a fraction of the whole: the peak stays near ten times
    the file, Python holding the text itself in two bytes a character (curly quotes)."""
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    text = _large_text(20_000_000)
    small.write_text(text[:20_000], encoding="utf-8")
    large.write_text(text, encoding="utf-8")
    _, base = _peak_of_check(small)
    status, peak = _peak_of_check(large)
    assert status == 1
    size = large.stat().st_size
    assert peak - base < 10 * size, f"{base / 1e6:.0f} MB, then {peak / 1e6:.0f} MB for 20 MB"
    assert peak < 11 * size, f"{peak / 1e6:.0f} MB for 20 MB"
