"""The command line: exit codes, formats, stdin, corpora, fixes, and bad input."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mtcheck.cli import app

ARTICLE = (
    "Officials in kyiv said on Monday that talks had resumed . the minister did not comment.\n"
    "The talks, held in Geneva, lasted three hours and ended without an agreement on prisoners.\n"
)
CLEAN = "Officials in Kyiv said on Monday that talks had resumed. The minister did not comment.\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _write(tmp_path, name: str, content: str | bytes) -> str:
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return str(p)


def test_text_format_lists_findings_with_location(runner, tmp_path) -> None:
    path = _write(tmp_path, "a.txt", ARTICLE)
    out = runner.invoke(app, ["check", path, "--lang", "en"])
    assert out.exit_code == 1
    assert f"{path}:1:14: MT101 major" in out.stdout
    assert "-> Kyiv [safe fix]" in out.stdout
    assert "Found 3 findings" in out.stdout


def test_clean_text_exits_zero(runner, tmp_path) -> None:
    out = runner.invoke(app, ["check", _write(tmp_path, "ok.txt", CLEAN), "--lang", "en"])
    assert out.exit_code == 0, out.stdout
    assert "All checks passed" in out.stdout


def test_exit_zero_and_severity_threshold(runner, tmp_path) -> None:
    path = _write(tmp_path, "a.txt", ARTICLE)
    assert runner.invoke(app, ["check", path, "--exit-zero"]).exit_code == 0
    out = runner.invoke(app, ["check", path, "--severity", "major", "--format", "json"])
    codes = [f["code"] for f in json.loads(out.stdout)["files"][0]["findings"]]
    assert codes == ["MT101"] and out.exit_code == 1
    out = runner.invoke(app, ["check", path, "--severity", "critical"])
    assert out.exit_code == 0


def test_select_and_ignore_by_prefix(runner, tmp_path) -> None:
    path = _write(tmp_path, "a.txt", ARTICLE)

    def codes(*args: str) -> list[str]:
        out = runner.invoke(app, ["check", path, "--format", "json", *args])
        return [f["code"] for f in json.loads(out.stdout)["files"][0]["findings"]]

    assert codes("--select", "MT1") == ["MT101", "MT102"]
    assert codes("--ignore", "MT1") == ["MT201"]
    assert codes("--ignore", "MT1", "--select", "MT102") == ["MT102"]


def test_json_contract(runner, tmp_path) -> None:
    path = _write(tmp_path, "a.txt", ARTICLE)
    data = json.loads(runner.invoke(app, ["check", path, "--format", "json"]).stdout)
    assert data["schema_version"] == 1
    assert data["mtcheck_version"]
    assert "MT101" in data["ruleset"]["codes"] and len(data["ruleset"]["hash"]) == 12
    f = data["files"][0]
    assert f["path"] == path and f["lang"] == "en"
    first = f["findings"][0]
    assert set(first) >= {
        "code",
        "rule",
        "severity",
        "category",
        "message",
        "start",
        "end",
        "line",
        "column",
        "text",
        "suggestions",
        "fix",
    }
    assert first == {
        **first,
        "code": "MT101",
        "rule": "proper-noun-lowercase",
        "severity": "major",
        "start": 13,
        "end": 17,
        "line": 1,
        "column": 14,
        "text": "kyiv",
        "suggestions": ["Kyiv"],
        "fix": {"replacement": "Kyiv", "applicability": "safe"},
    }
    assert first["category"].startswith("Fluency/")


def test_stdin(runner) -> None:
    out = runner.invoke(app, ["check", "-", "--format", "jsonl"], input=ARTICLE)
    rec = json.loads(out.stdout.splitlines()[0])
    assert rec["path"] == "<stdin>" and [f["code"] for f in rec["findings"]] == ["MT101", "MT201", "MT102"]


def test_corpus_jsonl_streams_one_record_per_line(runner, tmp_path) -> None:
    lines = [
        {"id": "a", "lp": "fr-en", "source": "Il est à Kyiv.", "target": "He is in kyiv ."},
        {"id": "b", "lp": "fr-en", "source": "Bonjour.", "target": "Hello there, everyone."},
    ]
    path = _write(tmp_path, "c.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n")
    out = runner.invoke(
        app,
        [
            "check",
            path,
            "--text-field",
            "target",
            "--source-field",
            "source",
            "--lang-field",
            "lp",
            "--format",
            "jsonl",
        ],
    )
    recs = [json.loads(x) for x in out.stdout.splitlines()]
    assert [r["id"] for r in recs] == ["a", "b"]
    assert recs[0]["lang"] == "en" and recs[0]["src_lang"] == "fr"
    # "kyiv" is capitalised in the source: the source-aware casing rule says it (not MT101).
    assert [f["code"] for f in recs[0]["findings"]] == ["MT903", "MT201"]
    assert recs[1]["findings"] == []
    assert out.exit_code == 1


def test_corpus_bad_field_is_a_usage_error(runner, tmp_path) -> None:
    path = _write(tmp_path, "c.jsonl", json.dumps({"text": "x"}) + "\n")
    out = runner.invoke(app, ["check", path, "--text-field", "target"])
    assert out.exit_code == 2 and "no string field 'target'" in out.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"caf\xe9 au lait", "not valid UTF-8"),
        ("héllo".encode("utf-16"), "UTF-16"),
    ],
)
def test_unreadable_input_exits_2(runner, tmp_path, content, message) -> None:
    path = _write(tmp_path, "bad.txt", content)
    out = runner.invoke(app, ["check", path])
    assert out.exit_code == 2 and message in out.stderr
    assert "Traceback" not in out.output
    fixed = runner.invoke(app, ["fix", path])
    assert fixed.exit_code == 2
    assert (tmp_path / "bad.txt").read_bytes() == content


def test_missing_file_exits_2(runner, tmp_path) -> None:
    out = runner.invoke(app, ["check", str(tmp_path / "nope.txt")])
    assert out.exit_code == 2 and "no such file" in out.stderr


def test_bad_option_values_exit_2(runner, tmp_path) -> None:
    path = _write(tmp_path, "a.txt", ARTICLE)
    assert runner.invoke(app, ["check", path, "--severity", "huge"]).exit_code == 2
    assert runner.invoke(app, ["check", path, "--select", "E501"]).exit_code == 2
    assert runner.invoke(app, ["check", path, "--format", "xml"]).exit_code == 2


def test_empty_file_is_clean(runner, tmp_path) -> None:
    out = runner.invoke(app, ["check", _write(tmp_path, "e.txt", ""), "--format", "json"])
    assert out.exit_code == 0 and json.loads(out.stdout)["files"][0]["findings"] == []


def test_fix_applies_safe_fixes_atomically_and_is_idempotent(runner, tmp_path) -> None:
    path = _write(tmp_path, "a.txt", ARTICLE)
    os.chmod(path, 0o640)
    out = runner.invoke(app, ["fix", path])
    assert out.exit_code == 0, out.output
    fixed = Path(path).read_text(encoding="utf-8")
    assert fixed.startswith("Officials in Kyiv said on Monday that talks had resumed. The minister")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]  # no temporary file left behind
    runner.invoke(app, ["fix", path])
    assert Path(path).read_text(encoding="utf-8") == fixed


def test_fix_keeps_bom_and_crlf(runner, tmp_path) -> None:
    raw = b"\xef\xbb\xbfThey met in kyiv .\r\nThe talks, held in Geneva, lasted three hours and ended.\r\n"
    path = _write(tmp_path, "w.txt", raw)
    runner.invoke(app, ["fix", path, "--lang", "en"])
    assert (tmp_path / "w.txt").read_bytes() == raw.replace(b"kyiv .", b"Kyiv.")


def test_fix_diff_writes_nothing(runner, tmp_path) -> None:
    path = _write(tmp_path, "a.txt", ARTICLE)
    out = runner.invoke(app, ["fix", path, "--diff"])
    assert out.exit_code == 1
    assert "-Officials in kyiv" in out.stdout and "+Officials in Kyiv" in out.stdout
    assert Path(path).read_text(encoding="utf-8") == ARTICLE


def test_unsafe_fixes_need_the_flag(runner, tmp_path) -> None:
    text = "The spokesperson for the American Department of State spoke on Tuesday in Washington.\n"
    path = _write(tmp_path, "u.txt", text)
    runner.invoke(app, ["fix", path])
    assert Path(path).read_text(encoding="utf-8") == text
    runner.invoke(app, ["fix", path, "--unsafe-fixes"])
    assert "the US State Department" in Path(path).read_text(encoding="utf-8")


def test_fix_stdin_writes_stdout(runner) -> None:
    out = runner.invoke(app, ["fix", "-", "--lang", "en"], input="They met in kyiv .")
    assert out.stdout == "They met in Kyiv."


def test_sarif_and_github_formats(runner, tmp_path) -> None:
    path = _write(tmp_path, "a.txt", ARTICLE)
    sarif = json.loads(runner.invoke(app, ["check", path, "--format", "sarif"]).stdout)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    assert run["tool"]["driver"]["name"] == "mtcheck"
    ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    res = run["results"][0]
    assert res["ruleId"] in ids and res["ruleId"] == "MT101"
    region = res["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["charOffset"], region["charLength"]) == (1, 14, 13, 4)
    assert res["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "Kyiv"
    gh = runner.invoke(app, ["check", path, "--format", "github"]).stdout.splitlines()
    assert gh[0].startswith(
        f"::error file={path},line=1,col=14,endLine=1,endColumn=17,title=MT101 proper-noun-lowercase::"
    )


def test_rules_lists_and_explains(runner) -> None:
    out = runner.invoke(app, ["rules"])
    assert out.exit_code == 0 and "MT101  proper-noun-lowercase" in out.stdout
    one = runner.invoke(app, ["rules", "MT301"])
    assert "stray-line" in one.stdout and "bad:" in one.stdout and "good:" in one.stdout
    assert runner.invoke(app, ["rules", "MT999"]).exit_code == 2
    # A source check says it needs the source, and shows each example's source text.
    source = runner.invoke(app, ["rules", "MT903"]).stdout
    assert "--source FILE" in source and "source (fr): Les troupes sont entrées à Kursk mardi." in source


def test_config_file_and_house_style(runner, tmp_path) -> None:
    (tmp_path / "mtcheck.toml").write_text(
        'ignore = ["MT2"]\n[house-style]\nnames = ["Zelenskyy"]\nprefer = { Kiev = "Kyiv" }\n', encoding="utf-8"
    )
    path = _write(tmp_path, "h.txt", "Officials in Kiev met zelenskyy on Monday , they said.\n")
    data = json.loads(runner.invoke(app, ["check", path, "--format", "json", "--lang", "en"]).stdout)
    found = {(f["code"], f["text"], f["suggestions"][0]) for f in data["files"][0]["findings"]}
    assert found == {("MT504", "Kiev", "Kyiv"), ("MT101", "zelenskyy", "Zelenskyy")}


def test_bad_config_exits_2(runner, tmp_path) -> None:
    (tmp_path / "mtcheck.toml").write_text('selekt = ["MT1"]\n', encoding="utf-8")
    path = _write(tmp_path, "a.txt", ARTICLE)
    out = runner.invoke(app, ["check", path])
    assert out.exit_code == 2 and "unknown key" in out.stderr


def test_help_teaches(runner) -> None:
    out = runner.invoke(app, ["check", "--help"])
    assert out.exit_code == 0
    for opt in (
        "--format",
        "--lang",
        "--src-lang",
        "--select",
        "--ignore",
        "--severity",
        "--exit-zero",
        "--config",
        "--text-field",
    ):
        assert opt in out.stdout


@pytest.mark.parametrize("args", [["--no-lm"], ["--lang", "de"]], ids=["no-lm", "no-model-for-german"])
def test_no_heavy_imports(tmp_path, args) -> None:
    """A rule check must not pay for torch, transformers or datasets (0.5 s budget): with
    --no-lm, or for a language with no model."""
    import subprocess
    import sys

    path = _write(tmp_path, "a.txt", ARTICLE)
    code = (
        "import sys; from mtcheck.cli import run; sys.argv = ['mtcheck', 'check', *sys.argv[1:]]\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('torch', 'transformers', 'datasets', 'sacrebleu') if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code, path, *args], capture_output=True, text=True, check=False)
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr


def test_fix_through_a_symlink_edits_the_target(runner, tmp_path) -> None:
    real = Path(_write(tmp_path, "real.txt", "They met in kyiv ."))
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert runner.invoke(app, ["fix", str(link), "--lang", "en"]).exit_code == 0
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "They met in Kyiv."


def test_a_fifo_is_refused_not_waited_on(runner, tmp_path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    out = runner.invoke(app, ["check", str(fifo)])
    assert out.exit_code == 2 and "not a regular file" in out.stderr


def test_bad_corpus_record_is_reported_and_the_rest_checked(runner, tmp_path) -> None:
    lines = ['{"id": 1, "target": "They met in kyiv ."}', "{not json", '{"id": 3, "lp": 5, "target": "Hello , you."}']
    path = _write(tmp_path, "c.jsonl", "\n".join(lines) + "\n")
    out = runner.invoke(app, ["check", path, "--format", "jsonl", "--lang-field", "lp"])
    assert out.exit_code == 2 and f"{path}:2: not a JSON object" in out.stderr
    assert [json.loads(x)["id"] for x in out.stdout.splitlines()] == [1, 3]
    text = runner.invoke(app, ["check", path, "--lang", "en"]).stdout
    assert f"{path}[1]:1:13: MT101" in text  # locations are within the record


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--select", "MT1O1"], "no rule code starts with 'MT1O1'"),
        (["--lang", "e"], "invalid --lang"),
        (["--lang", "5"], "invalid --lang"),
    ],
)
def test_option_mistakes_exit_2(runner, tmp_path, args, message) -> None:
    out = runner.invoke(app, ["check", _write(tmp_path, "a.txt", ARTICLE), *args])
    assert out.exit_code == 2 and message in out.stderr


def test_locale_tags_mean_their_language(runner, tmp_path) -> None:
    out = runner.invoke(app, ["check", _write(tmp_path, "a.txt", ARTICLE), "--lang", "en-US", "--format", "json"])
    assert json.loads(out.stdout)["files"][0]["lang"] == "en"


@pytest.mark.parametrize(
    "content",
    [
        "select = 5\n",
        "severity = 5\n",
        "lang = 5\n",
        'lm = "no"\n',
        '[house-style]\nnmes = ["Kyiv"]\n',
        "[house-style]\nprefer = [1, 2]\n",
    ],
)
def test_config_type_errors_exit_2(runner, tmp_path, content) -> None:
    (tmp_path / "mtcheck.toml").write_text(content, encoding="utf-8")
    out = runner.invoke(app, ["check", _write(tmp_path, "a.txt", ARTICLE)])
    assert out.exit_code == 2 and "mtcheck.toml" in out.stderr and "Traceback" not in out.output


def test_broken_pyproject_is_not_skipped(runner, tmp_path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.mtcheck]\nignore = ["MT1"]\n[tool.mtcheck\n', encoding="utf-8")
    out = runner.invoke(app, ["fix", _write(tmp_path, "a.txt", ARTICLE)])
    assert out.exit_code == 2 and (tmp_path / "a.txt").read_text(encoding="utf-8") == ARTICLE


def test_fix_refuses_corpora_and_read_only_files(runner, tmp_path) -> None:
    corpus = _write(tmp_path, "c.jsonl", '{"target": "They met in kyiv ."}\n')
    assert runner.invoke(app, ["fix", corpus]).exit_code == 2
    ro = _write(tmp_path, "ro.txt", ARTICLE)
    os.chmod(ro, 0o444)
    out = runner.invoke(app, ["fix", ro])
    assert out.exit_code == 2 and "read-only" in out.stderr
    assert Path(ro).read_text(encoding="utf-8") == ARTICLE


def test_fix_stdin_keeps_the_bom() -> None:
    import subprocess
    import sys

    raw = "\ufeffThey met in kyiv .".encode()
    cmd = [sys.executable, "-m", "mtcheck.cli", "fix", "-", "--lang", "en"]
    out = subprocess.run(cmd, input=raw, capture_output=True, check=False)
    assert out.stdout == "\ufeffThey met in Kyiv.".encode()


def test_diff_marks_a_missing_final_newline(runner, tmp_path) -> None:
    out = runner.invoke(app, ["fix", _write(tmp_path, "n.txt", "They met in kyiv ."), "--diff", "--lang", "en"])
    assert "-They met in kyiv .\n\\ No newline at end of file\n+They met in Kyiv.\n\\ No newline" in out.stdout


def test_old_mac_line_breaks_are_lines(runner, tmp_path) -> None:
    path = _write(tmp_path, "cr.txt", "The talks resumed in Geneva on Monday.\rThey met in kyiv .\rSwiss")
    out = runner.invoke(app, ["check", path, "--lang", "en"])
    assert f"{path}:2:13: MT101" in out.stdout and f"{path}:3:1: MT301" in out.stdout
