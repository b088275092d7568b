"""Reporters against golden files: the text, JSON, SARIF and GitHub outputs are contracts.

Regenerate after an intended change with `MTCHECK_UPDATE_GOLDEN=1 pytest tests/test_golden.py`
and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mtcheck import __version__
from mtcheck.cli import app

GOLDEN = Path(__file__).parent / "golden"


def _normalise(out: str) -> str:
    # mtcheck's version and the rule-set hash change with every release; the rest must not.
    out = out.replace(f'"{__version__}"', '"X"')
    out = re.sub(r'"hash": "[0-9a-f]+"', '"hash": "X"', out)
    # The model's scores are floats whose last digits may differ between CPUs: the contract
    # pinned here is that each sentence has one.
    return re.sub(r'"(fluency|surprise|error_load)": -?[0-9.]+(?:e-?[0-9]+)?', r'"\1": X', out)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "jsonl"])
def test_reporter_output(fmt: str, monkeypatch) -> None:
    monkeypatch.chdir(GOLDEN)
    out = CliRunner().invoke(app, ["check", "article.md", "--lang", "en", "--format", fmt])
    assert out.exit_code == 1, out.output
    got = _normalise(out.stdout)
    expected_path = GOLDEN / f"article.{fmt}.out"
    if os.environ.get("MTCHECK_UPDATE_GOLDEN"):
        expected_path.write_text(got, encoding="utf-8")
    assert got == expected_path.read_text(encoding="utf-8")
