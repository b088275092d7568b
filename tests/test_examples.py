"""Every rule's own examples, LanguageTool style: a bad example is flagged exactly at its marker
with the expected first suggestion, the corrected text is no longer flagged, and a good example
is not flagged at all. A rule without both kinds of example fails."""

from __future__ import annotations

import pytest

from mtcheck.api import check_document, fix
from mtcheck.checks import all_rules
from mtcheck.checks.house import EXAMPLE_PREFER
from mtcheck.config import Config
from mtcheck.model import Example, Rule

CONFIG = Config(prefer=EXAMPLE_PREFER)
# Rules are tested on their own; the model's checks with the real default model.
RULES_ONLY = Config(prefer=EXAMPLE_PREFER, lm=False)

CASES = [
    pytest.param(rule, ex, id=f"{rule.code}-{'bad' if ex.is_bad else 'good'}-{i}")
    for rule in all_rules()
    for i, ex in enumerate(rule.examples)
]


def _run(rule: Rule, ex: Example, text: str) -> list:
    lang = ex.lang or (rule.languages[0] if rule.languages != ("*",) else "en")
    # An example without a source language runs with the first pair into its language (the
    # packs into English and into French share MT503: "fr-en" for an English example).
    src = ex.src_lang or next((p.split("-")[0] for p in rule.pairs if p.endswith(f"-{lang}")), None)
    config = CONFIG if rule.family == "lm" else RULES_ONLY
    if rule.opt_in:  # an opt-in rule's examples run with the rule switched on by its code
        config = config.merged(extend_select=[rule.code])
    res = check_document(text, lang=lang, source=ex.source, src_lang=src, config=config, fmt=ex.fmt)
    return [f for f in res.findings if f.code == rule.code]


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rule_has_bad_and_good_examples(rule: Rule) -> None:
    assert any(e.is_bad for e in rule.examples), f"{rule.code} has no bad example"
    assert any(not e.is_bad for e in rule.examples), f"{rule.code} has no good example"


@pytest.mark.parametrize(("rule", "ex"), CASES)
def test_example(rule: Rule, ex: Example) -> None:
    text, start, end = ex.unmarked()
    found = _run(rule, ex, text)
    if not ex.is_bad:
        assert found == [], f"good example flagged: {[(f.text, f.message) for f in found]}"
        return
    assert [(f.start, f.end) for f in found] == [(start, end)], (
        f"expected exactly {text[start:end]!r}, got {[f.text for f in found]}"
    )
    f = found[0]
    if ex.fix is None:
        return
    assert f.suggestions and f.suggestions[0] == ex.fix
    # Through the fix when there is one: it may edit more than the span (a line break).
    corrected = fix(text, [f], unsafe=True) if f.fix else text[:start] + ex.fix + text[end:]
    again = _run(rule, ex, corrected)
    assert again == [], f"the corrected text is still flagged: {[f.text for f in again]}"
