"""No input, output or other program can make mtcheck lose a byte of a user's file or end in
a traceback: concurrent writers, non-prose files, devices as output, full disks, closed
pipes, undecodable records, and the messages for inputs that cannot be used."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from mtcheck import textio
from mtcheck.cli import PROSE_SUFFIXES, app

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = "Officials in kyiv said on Monday that talks had resumed . The minister did not comment.\n"


def _mtcheck(*args: str, stdin: str | None = None, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mtcheck.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        **kwargs,  # type: ignore[arg-type]
    )


def _one_clear_line(err: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines and all(line.startswith("mtcheck: ") for line in lines), err
    assert "Traceback" not in err


# --- fix and other writers ------------------------------------------------------------


def test_replace_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE)
    loaded = textio.read(str(path))
    with path.open("a") as fh:
        fh.write("A line another program added.\n")
    with pytest.raises(textio.FileChanged):
        textio.write_atomic(str(path), loaded.text.replace("kyiv", "Kyiv"), expected=loaded.stamp)
    assert path.read_text().endswith("A line another program added.\n")
    assert not list(tmp_path.glob(".a.txt.*"))  # no temporary file left behind


def test_a_write_in_the_instant_of_the_rename_is_kept_beside_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE)
    loaded = textio.read(str(path))
    real_replace = os.replace

    def late_writer(src: str, dst: object) -> None:
        with open(dst, "a") as fh:  # type: ignore[call-overload]
            fh.write("written just before the rename\n")
        real_replace(src, dst)

    monkeypatch.setattr(textio.os, "replace", late_writer)
    with pytest.raises(textio.FileChanged) as caught:
        textio.write_atomic(str(path), "fixed\n", expected=loaded.stamp)
    assert caught.value.kept is not None
    assert caught.value.kept.read_text().endswith("written just before the rename\n")


def test_fix_never_loses_lines_another_program_appends(tmp_path: Path) -> None:
    """A program appends a line every 20 ms to a 200 KB file while `fix` runs."""
    path = tmp_path / "big.txt"
    paragraph = ARTICLE + "The delegations met again on Tuesday in Geneva after a long pause.\n\n"
    path.write_text(paragraph * (200_000 // len(paragraph)))
    stop = threading.Event()
    written: list[str] = []

    def append() -> None:
        n = 0
        while not stop.is_set():
            line = f"Appended line {n} by another program.\n"
            with path.open("a") as fh:
                fh.write(line)
            written.append(line)
            n += 1
            time.sleep(0.02)

    writer = threading.Thread(target=append)
    writer.start()
    try:
        out = _mtcheck("fix", str(path), "--no-lm", "--lang", "en")
    finally:
        stop.set()
        writer.join()
    final = path.read_text()
    kept = "".join(p.read_text() for p in tmp_path.glob("*.mtcheck-conflict"))
    lost = [line for line in written if line not in final and line not in kept]
    assert not lost, f"{len(lost)} lines lost; fix said: {out.stderr}"
    if out.returncode == 2:
        assert "another program" in out.stderr
        _one_clear_line(out.stderr)


def test_fix_refuses_files_that_are_not_prose(tmp_path: Path) -> None:
    code = tmp_path / "tool.py"
    code.write_text("import os\nprint(os.name)\n")
    ci = tmp_path / "ci.yml"
    ci.write_text("on:\n  push:\n")
    for path in (code, ci):
        before = path.read_bytes()
        out = _mtcheck("fix", str(path), "--no-lm")
        assert out.returncode == 2 and "not a prose file" in out.stderr and "--input-format" in out.stderr
        assert path.read_bytes() == before
    # Told its format, fix takes it.
    notes = tmp_path / "notes.cfg"
    notes.write_text(ARTICLE)
    out = _mtcheck("fix", str(notes), "--no-lm", "--lang", "en", "--input-format", "text")
    assert out.returncode in (0, 1) and "Kyiv" in notes.read_text()


def test_the_pre_commit_hooks_match_prose_files_only() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    for hook in hooks:
        assert "types_or" not in hook and hook.get("types") == ["file"]
        files = re.compile(hook["files"])
        for name in ("articles/a.txt", "b.md", "c.markdown", "d.html", "e.htm", "f.MD".lower()):
            assert files.search(name), (hook["id"], name)
        for name in ("tool.py", ".github/workflows/ci.yml", "Makefile", "package.json", "a.txt.bak", "notes.rst"):
            assert not files.search(name), (hook["id"], name)
        # What the hook sends is what fix accepts.
        for suffix in PROSE_SUFFIXES:
            assert files.search("x" + suffix), suffix


# --- output ---------------------------------------------------------------------------


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    rows = [
        {"system": s, "doc_id": "d", "seg_id": i, "source": src, "target": tgt, "reference": tgt}
        for s in ("a", "b")
        for i, (src, tgt) in enumerate([("Il pleut.", "It rains."), ("Le ministre parle.", "The minister speaks.")])
    ]
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_eval_output_never_replaces_a_device(tmp_path: Path, corpus: Path) -> None:
    device = tmp_path / "null"
    os.mknod(device, 0o666 | 0o020000, os.makedev(1, 3))  # the same device as /dev/null
    out = _mtcheck("eval", str(corpus), "--no-lm", "-o", str(device))
    assert out.returncode == 0, out.stderr
    assert device.is_char_device()


def test_eval_output_to_a_pipe_through_dev_stdout(corpus: Path) -> None:
    out = _mtcheck("eval", str(corpus), "--no-lm", "-f", "json", "-o", "/dev/stdout")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["systems"]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("dir", "is a directory"),
        ("missing-folder", "does not exist"),
        ("read-only", "permission denied"),
        ("full", "no space left"),
    ],
)
def test_eval_output_errors_are_one_line_and_exit_2(tmp_path: Path, corpus: Path, setup: str, message: str) -> None:
    target = {
        "dir": tmp_path,
        "missing-folder": tmp_path / "nowhere" / "r.json",
        "read-only": tmp_path / "ro.json",
        "full": Path("/dev/full"),
    }[setup]
    if setup == "read-only":
        target.write_text("old")
        target.chmod(0o444)
    out = _mtcheck("eval", str(corpus), "--no-lm", "-o", str(target))
    assert out.returncode == 2 and message in out.stderr, out.stderr
    _one_clear_line(out.stderr)
    if setup == "read-only":
        assert target.read_text() == "old"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("\n\n", "empty"),
        ('{"system": "a", "target": "x"}\n{"target": "y"}\n', "row 2 has no field 'system'"),
        ('{"system": "a", "target": "x"}\n{"system": "b", "target": null}\n', "row 2 has no field 'target'"),
        ('{"system": "a", "target": "x"}\n{"system": "b"}\n', "row 2 has no field 'target'"),
    ],
)
def test_eval_corpus_errors_name_the_problem(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(content)
    out = _mtcheck("eval", str(path), "--no-lm")
    assert out.returncode == 2 and message in out.stderr, out.stderr
    _one_clear_line(out.stderr)


def test_eval_of_a_missing_folder(tmp_path: Path) -> None:
    out = _mtcheck("eval", str(tmp_path / "missing"), "--no-lm")
    assert out.returncode == 2 and "no such file or folder" in out.stderr
    _one_clear_line(out.stderr)


@pytest.mark.parametrize("fmt", ["text", "json", "html", "sarif"])
def test_check_to_a_full_disk(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE)
    with open("/dev/full", "w") as full:
        out = subprocess.run(
            [sys.executable, "-m", "mtcheck.cli", "check", str(path), "--no-lm", "-f", fmt],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert out.returncode == 2 and "no space left" in out.stderr, out.stderr
    _one_clear_line(out.stderr)


def test_check_into_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE * 2000)
    proc = subprocess.Popen(
        [sys.executable, "-m", "mtcheck.cli", "check", str(path), "--no-lm"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read()
    proc.wait(timeout=60)
    assert "Traceback" not in err


# --- one bad record costs only itself -------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "jsonl", "html", "text", "sarif", "github"])
def test_a_lone_surrogate_costs_only_its_record(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(
        '{"id": "a", "target": "They met in kyiv ."}\n'
        '{"id": "b\\ud800", "target": "Bad \\ud800 text in paris ."}\n'
        '{"id": "c", "target": "Prices rose in berlin ."}\n'
    )
    out = _mtcheck("check", str(path), "--no-lm", "--lang", "en", "-f", fmt)
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    assert "Kyiv" in out.stdout and "Berlin" in out.stdout and "Paris" in out.stdout
    if fmt == "json":
        files = json.loads(out.stdout)["files"]
        assert [f["id"] for f in files] == ["a", "b\ufffd", "c"]


def test_stdin_is_a_corpus_with_text_field() -> None:
    out = _mtcheck(
        "check",
        "-",
        "--no-lm",
        "--lang",
        "en",
        "--text-field",
        "t",
        "-f",
        "jsonl",
        stdin='{"t": "They met in kyiv ."}\n',
    )
    assert out.returncode == 1, out.stderr
    assert json.loads(out.stdout.splitlines()[0])["findings"][0]["code"] == "MT101"


# --- messages for input that cannot be used ---------------------------------------------


def test_messages_say_what_the_input_is(tmp_path: Path) -> None:
    runner = CliRunner()
    elf = tmp_path / "prog"
    elf.write_bytes(Path(sys.executable).resolve().read_bytes()[:65536])
    loop = tmp_path / "loop.txt"
    loop.symlink_to(tmp_path / "loop.txt")
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes("They met in Kyiv on Monday.".encode("utf-16-le"))
    for path, message in [
        (elf, "ELF"),
        (loop, "loop of symbolic links"),
        (dangling, "symbolic link to a file that does not exist"),
        (tmp_path / "missing.txt", "no such file"),
        (utf16, "UTF-16 without a byte-order mark"),
    ]:
        out = runner.invoke(app, ["check", str(path), "--no-lm"])
        assert out.exit_code == 2, (path, out.output)
        assert message in out.output, (path, out.output)


def test_named_pipes_never_hang_eval(tmp_path: Path, corpus: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    out = _mtcheck("eval", str(corpus), "--no-lm", "-o", str(fifo), timeout=120)
    assert out.returncode == 2 and "no program is reading" in out.stderr
    out = _mtcheck("eval", str(fifo), "--no-lm", timeout=120)
    assert out.returncode == 2 and "not a regular file" in out.stderr
    _one_clear_line(out.stderr)
