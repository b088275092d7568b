"""A fixed sample of mutated articles (``bench/fuzz.py`` runs thousands): every promise of
``mtcheck.fuzz`` holds, and the promises themselves catch what they are meant to catch."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from mtcheck.config import Config
from mtcheck.fuzz import Case, cases, fix_problems, mutate, run_case, span_problems
from mtcheck.model import Applicability, Finding, Fix, Severity

ROOT = Path(__file__).resolve().parents[1]
SUFFIX = {".txt": "text", ".md": "markdown", ".html": "html"}


def _seeds() -> list[tuple[str, str, str | None]]:
    out = []
    for p in sorted((ROOT / "corpora").glob("*/*")):
        if p.suffix in SUFFIX:
            parts = p.name.split(".")
            out.append((p.read_text(encoding="utf-8"), SUFFIX[p.suffix], parts[-2] if len(parts) > 2 else None))
    return out


@pytest.mark.parametrize("case", list(cases(_seeds(), 60, seed=20261203)), ids=lambda c: c.fmt)
def test_mutated_articles_keep_every_promise(case: Case) -> None:
    assert run_case(case, Config(lm=False)) == []


def test_mutations_are_reproducible_and_change_the_text() -> None:
    a = mutate("The talks resumed in Geneva.", random.Random(1))
    assert a == mutate("The talks resumed in Geneva.", random.Random(1))
    assert any(
        mutate("The talks resumed in Geneva.", random.Random(s)) != "The talks resumed in Geneva." for s in range(5)
    )


def test_the_fix_promise_sees_an_edit_on_markup(monkeypatch: pytest.MonkeyPatch) -> None:
    """A check that 'fixes' a tag must be caught: the promise is not one that cannot fail."""
    text = "<p>The talks resumed in Geneva.</p>"
    bad = Finding(
        code="MT999",
        rule="test",
        severity=Severity.MINOR,
        category="Other",
        message="edits a tag",
        start=0,
        end=3,
        text="<p>",
        fix=Fix("<div>", Applicability.SAFE),
    )

    def fake_check(*args: object, **kwargs: object) -> object:
        class R:
            findings = [bad] if args[0] == text else []

        return R()

    monkeypatch.setattr("mtcheck.fuzz.check_document", fake_check)
    problems = fix_problems(Case(text, "html", "en"), Config(lm=False))
    assert any("edits markup" in p for p in problems)


def test_the_span_promise_sees_a_wrong_span(monkeypatch: pytest.MonkeyPatch) -> None:
    wrong = Finding(
        code="MT999",
        rule="test",
        severity=Severity.MINOR,
        category="Other",
        message="wrong text",
        start=4,
        end=9,
        text="xxxxx",
    )

    class R:
        findings = (wrong,)

    monkeypatch.setattr("mtcheck.fuzz.check_document", lambda *a, **k: R())
    assert span_problems(Case("The talks resumed.", "text", "en"), Config(lm=False))
