"""Severity calibration: caps read from mtcheck/rules/severity.yaml, applied by the engine."""

from __future__ import annotations

from dataclasses import replace

from mtcheck.calibration import MAJOR_PRECISION, calibrated, cap_of, caps
from mtcheck.checks import all_rules
from mtcheck.model import Finding, Severity


def _finding(code: str, severity: Severity) -> Finding:
    return Finding(code, "x", severity, "Other", "m", 0, 1)


def test_cap_of() -> None:
    assert cap_of(10, 9) is Severity.CRITICAL  # 9 in 10 right: keeps major
    assert cap_of(9, 8) is Severity.CRITICAL  # one short, on nine: within the noise
    assert cap_of(9, 7) is Severity.MINOR  # two short
    assert cap_of(37, 30) is Severity.MINOR
    assert cap_of(4, 1) is Severity.MINOR
    assert cap_of(2, 0) is Severity.CRITICAL  # too few to tell
    # Right no more often than spans of that length put at random: no major finding.
    assert cap_of(30, 29, precision=0.8, chance=0.85) is Severity.MINOR
    assert MAJOR_PRECISION == 0.9


def test_the_shipped_caps_name_real_rules() -> None:
    codes = {r.code for r in all_rules()}
    table = caps()
    assert table, "mtcheck/rules/severity.yaml is missing or empty"
    for rules in table.values():
        assert set(rules) <= codes


def test_calibrated_lowers_only_capped_rules() -> None:
    table = caps()
    capped = next((code for lang in table.values() for code, cap in lang.items() if cap is Severity.MINOR), None)
    assert capped is not None
    lang = next(lang for lang, rules in table.items() if rules.get(capped) is Severity.MINOR)
    lang = None if lang == "*" else lang
    major = _finding(capped, Severity.MAJOR)
    assert calibrated([major], lang)[0].severity is Severity.MINOR
    minor = replace(major, severity=Severity.MINOR)
    assert calibrated([minor], lang) == [minor]
    # A code without a cap is left as it is.
    other = _finding("MT999", Severity.MAJOR)
    assert calibrated([other], lang) == [other]


def test_engine_applies_the_cap_unless_switched_off() -> None:
    from mtcheck.api import check_document
    from mtcheck.calibration import cap_for
    from mtcheck.config import Config

    text, source = "The plant employs 300 people.", "L'usine emploie 400 personnes."
    on = check_document(text, lang="en", source=source, src_lang="fr", config=Config(lm=False))
    off = check_document(text, lang="en", source=source, src_lang="fr", config=Config(lm=False, calibrated=False))
    [f_on] = [f for f in on.findings if f.code == "MT901"]
    [f_off] = [f for f in off.findings if f.code == "MT901"]
    assert f_off.severity is Severity.MAJOR
    cap = cap_for("MT901", "en") or Severity.CRITICAL
    assert f_on.severity is min(Severity.MAJOR, cap)
