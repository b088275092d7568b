"""The README's examples do what it says: the webhook runs against a real server, and the
GitHub workflow's mtcheck commands are valid and behave as described."""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _block(lang: str, first_line: str) -> str:
    """The fenced ``lang`` block of the README whose text starts with ``first_line``."""
    for m in re.finditer(rf"```{lang}\n(.*?)```", README, re.S):
        if m.group(1).startswith(first_line):
            return m.group(1)
    raise AssertionError(f"no {lang} block starting with {first_line!r} in README.md")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_webhook_example_runs(server: str, tmp_path: Path) -> None:
    hook = tmp_path / "prepublish_hook.py"
    hook.write_text(_block("python", "# prepublish_hook.py"), encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "MTCHECK_URL": server, "HOOK_PORT": str(port)}
    proc = subprocess.Popen([sys.executable, str(hook)], env=env, stderr=subprocess.DEVNULL)

    def ask(article: dict) -> dict:
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}", json.dumps(article).encode(), {"Content-Type": "application/json"}
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(req, timeout=60) as r:
                    return json.load(r)
            except urllib.error.URLError:
                time.sleep(0.1)
        raise AssertionError("the webhook did not answer")

    try:
        # A capital city in lowercase is a major finding: the hook holds the article.
        held = ask({"id": 7, "body": "The minister arrived in kyiv on Monday.", "lang": "en"})
        clean = ask({"id": 8, "body": "The minister arrived in Kyiv on Monday.", "lang": "en"})
    finally:
        proc.terminate()
        proc.wait(10)
    assert held["id"] == 7 and held["verdict"] == "block" and held["publish"] is False
    assert [f["code"] for f in held["blocking"]] == ["MT101"]
    assert clean == {"id": 8, "publish": True, "verdict": "pass", "blocking": []}


def _workflow_commands() -> list[list[str]]:
    workflow = yaml.safe_load(_block("yaml", "name: mtcheck"))
    runs = [step["run"] for step in workflow["jobs"]["mtcheck"]["steps"] if "run" in step]
    return [shlex.split(r.split(">")[0]) for r in runs if r.startswith("mtcheck ")]


def test_workflow_commands_behave_as_described(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.md").write_text("# Talks\n\nThe minister arrived in kyiv on Monday.\n")
    (tmp_path / "articles" / "b.md").write_text("# Weather\n\nIt rained in Paris .\n")
    annotate, sarif = _workflow_commands()
    results = []
    for argv in (annotate, sarif):
        paths = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.glob(argv[2]))  # the shell's glob
        cmd = [sys.executable, "-m", "mtcheck.cli", argv[1], *paths, *argv[3:]]
        results.append(subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, encoding="utf-8"))
    gh, sa = results
    # The annotation step fails the job on the major finding and annotates it on its line.
    assert gh.returncode == 1, gh.stderr
    assert gh.stdout.startswith("::error file=articles/a.md,line=3,col=25,")
    assert "b.md" not in gh.stdout  # the stray space is minor: below --severity major
    # The SARIF step always succeeds and carries every finding.
    assert sa.returncode == 0, sa.stderr
    found = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for r in json.loads(sa.stdout)["runs"][0]["results"]
    }
    assert {("MT101", "articles/a.md"), ("MT201", "articles/b.md")} <= found


@pytest.mark.parametrize("line", ["mtcheck check article.md --format html > article.html"])
def test_html_command_in_readme(line: str, tmp_path: Path) -> None:
    assert line in README
    (tmp_path / "article.md").write_text("The minister arrived in kyiv .\n")
    run = subprocess.run(
        [sys.executable, "-m", "mtcheck.cli", *shlex.split(line.split(">")[0])[1:], "--no-lm"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert run.returncode == 1 and run.stdout.startswith("<!DOCTYPE html>")
