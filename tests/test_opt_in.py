"""Opt-in rules: off by default and under any prefix, on when selected by their own code."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from mtcheck.api import check_document
from mtcheck.checks import all_rules
from mtcheck.cli import app
from mtcheck.config import Config, from_mapping

# American spelling ("Defense") makes the period after the closing quote an MT407 finding.
TEXT = "The Defense Department cited a “language barrier”."


def _codes(config: Config) -> set[str]:
    return {f.code for f in check_document(TEXT, lang="en", config=config).findings}


def test_opt_in_rules_say_why() -> None:
    opt_in = [r for r in all_rules() if r.opt_in]
    assert {"MT407", "MT409", "MT802"} <= {r.code for r in opt_in}
    assert all(len(r.opt_in) > 40 for r in opt_in)


def test_off_by_default_and_under_a_prefix() -> None:
    assert "MT407" not in _codes(Config(lm=False))
    assert "MT407" not in _codes(Config(select=("MT4",), lm=False))


def test_on_by_its_code() -> None:
    assert "MT407" in _codes(Config(extend_select=("MT407",), lm=False))
    assert "MT407" in _codes(Config(select=("MT407",), lm=False))
    assert "MT407" not in _codes(Config(extend_select=("MT407",), ignore=("MT407",), lm=False))


def test_configuration_file_key() -> None:
    cfg = from_mapping({"extend-select": ["MT407"]})
    assert cfg.extend_select == ("MT407",) and cfg.selects("MT407") and cfg.selects("MT101")


def test_cli(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TEXT + "\n", encoding="utf-8")
    runner = CliRunner()
    plain = runner.invoke(app, ["check", str(path), "--lang", "en", "--no-lm", "--format", "text"])
    on = runner.invoke(
        app, ["check", str(path), "--lang", "en", "--no-lm", "--format", "text", "--extend-select", "MT407"]
    )
    assert "MT407" not in plain.output
    assert "MT407" in on.output and on.exit_code == 1
    listing = runner.invoke(app, ["rules"])
    assert any(line.startswith("MT407") and "[opt-in]" in line for line in listing.output.splitlines())
    explained = runner.invoke(app, ["rules", "MT407"])
    assert "Opt-in" in explained.output and "--extend-select MT407" in explained.output
