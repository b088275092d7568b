"""Fuzz mtcheck: thousands of mutated articles and requests through the API, the command line
and the service, counting crashes, unstable fixes and edits outside findings.

Seeds are the team's articles and examples in corpora/ (text, Markdown, HTML; English, French,
German, Spanish). Each case is a seed after a few random edits (``mtcheck.fuzz.mutate``: markup
openings without their ends, odd Unicode, deletions, duplications). Phases:

- ``api``: ``check_document`` and ``fix`` pass by pass (``mtcheck.fuzz.run_case``): no exception,
  spans inside the text, edits only inside their findings and never on markup, a fixpoint;
- ``cli``: ``mtcheck check`` in a random output format and ``mtcheck fix`` twice on a file with
  the seed's extension: exit status 0, 1 or 2, never a traceback, the second fix changes nothing;
- ``service``: a real ``mtcheck serve --no-lm`` on a loopback port, sent mutated JSON and form
  requests (wrong types, NaN, lone surrogates, deep nesting, bad annotations, random bytes) on
  every endpoint: never a 5xx, every error in the documented ``{"error": ...}`` shape, and the
  service still answers /healthz at the end.

    python bench/fuzz.py [--cases 3000] [--phases api,cli,service] [--seed 0] [--show 5]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUFFIX = {".txt": "text", ".md": "markdown", ".html": "html"}


def seeds() -> list[tuple[str, str, str | None]]:
    out = []
    for p in sorted((ROOT / "corpora").glob("*/*")):
        if p.suffix in SUFFIX:
            parts = p.name.split(".")
            out.append((p.read_text(encoding="utf-8"), SUFFIX[p.suffix], parts[-2] if len(parts) > 2 else None))
    return out


def phase_api(n: int, seed: int, show: int) -> Counter[str]:
    from mtcheck.config import Config
    from mtcheck.fuzz import cases, run_case

    problems: Counter[str] = Counter()
    cfg = Config(lm=False)
    for i, case in enumerate(cases(seeds(), n, seed)):
        for p in run_case(case, cfg):
            problems[p[:90]] += 1
            if show and sum(problems.values()) <= show:
                print(f"  api case {i} ({case.fmt}, {case.lang}): {p}\n    {case.text[:300]!r}")
        _tick("api", i + 1, n)
    return problems


def phase_cli(n: int, seed: int, show: int) -> Counter[str]:
    from typer.testing import CliRunner

    from mtcheck.cli import app
    from mtcheck.fuzz import cases

    runner = CliRunner()
    rng = random.Random(seed + 1)
    problems: Counter[str] = Counter()
    ext = {v: k for k, v in SUFFIX.items()}
    with tempfile.TemporaryDirectory() as tmp:
        for i, case in enumerate(cases(seeds(), n, seed + 1)):
            lang = ["--lang", case.lang] if case.lang else []
            fmt = rng.choice(["text", "json", "jsonl", "sarif", "github", "html"])
            if rng.random() < 0.15:
                problem = _cli_corpus(runner, app, Path(tmp, f"case{i}.jsonl"), case.text, rng, fmt)
                if problem:
                    problems[problem[:90]] += 1
                continue
            path = Path(tmp, f"case{i}{ext[case.fmt]}")
            raw = case.text.encode("utf-8") if rng.random() < 0.9 else _corrupt(case.text, rng)
            path.write_bytes(raw)
            found = []
            res = runner.invoke(app, ["check", str(path), "--no-lm", "-f", fmt, *lang])
            found.append(_cli_problem("check", res))
            res = runner.invoke(app, ["fix", str(path), "--no-lm", "--unsafe-fixes", *lang])
            found.append(_cli_problem("fix", res))
            once = path.read_bytes()
            res = runner.invoke(app, ["fix", str(path), "--no-lm", "--unsafe-fixes", *lang])
            found.append(_cli_problem("fix again", res))
            if path.read_bytes() != once:
                found.append("fix again: changed the fixed file")
            for p in filter(None, found):
                problems[p[:90]] += 1
                if show and sum(problems.values()) <= show:
                    print(f"  cli case {i} ({case.fmt}): {p}\n    {case.text[:300]!r}")
            path.unlink()
            _tick("cli", i + 1, n)
    return problems


def _cli_corpus(runner: object, app: object, path: Path, text: str, rng: random.Random, fmt: str) -> str | None:
    """A corpus of records cut from the case's text, some broken (not JSON, no text field, a
    lone surrogate, nested deep): every good record is reported, and the run never crashes."""
    lines = []
    for k in range(rng.randint(1, 6)):
        piece = text[rng.randrange(len(text) + 1) :][:300] if text else ""
        shape = rng.random()
        if shape < 0.1:
            lines.append("{not json")
        elif shape < 0.2:
            lines.append(json.dumps({"id": k, "other": piece}))
        elif shape < 0.3:
            lines.append('{"id": "s\\ud800", "target": "x \\udfff ' + piece.replace("\\", "").replace('"', "") + '"}')
        elif shape < 0.35:
            lines.append("[" * 50_000)
        else:
            lines.append(json.dumps({"id": k, "target": piece, "source": piece[::-1] if rng.random() < 0.3 else None}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["check", str(path), "--no-lm", "-f", fmt, "--source-field", "source"])  # type: ignore[attr-defined]
    return _cli_problem("corpus", res)


def _corrupt(text: str, rng: random.Random) -> bytes:
    """Bytes a file may hold that are not UTF-8 text: mtcheck must refuse them cleanly."""
    raw = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 5)):
        raw.insert(rng.randrange(len(raw) + 1), rng.choice([0x00, 0xFF, 0xC3, 0x80, 0xED, 0xA0]))
    return bytes(raw)


def _cli_problem(step: str, res: object) -> str | None:
    code = getattr(res, "exit_code", None)
    exc = getattr(res, "exception", None)
    if exc is not None and not isinstance(exc, SystemExit):
        return f"{step}: {type(exc).__name__}: {exc}"
    if code not in (0, 1, 2):
        return f"{step}: exit status {code}"
    return None


# --- the service ---------------------------------------------------------------------------

_ENDPOINTS = ("/v1/check", "/v1/fix", "/v1/render")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _random_value(rng: random.Random, text: str) -> object:
    return rng.choice(
        [
            text,
            text[: rng.randint(0, 40)],
            None,
            0,
            1.5,
            True,
            [],
            {},
            [text],
            {"a": text},
            "en",
            "zz",
            "en-US",
            "MT1",
            ["MT101"],
            ["nope"],
            "\ud800",
            text + "\udfff",
            float("nan"),
            float("inf"),
            -1,
            "x" * rng.randint(0, 3000),
        ]
    )


_VALID = {
    "lang": ["en", "fr", "de", "es", None],
    "src_lang": ["fr", "de", "zh", None],
    "select": [["MT1"], ["MT2", "MT3"], None],
    "ignore": [["MT8"], [], None],
    "lm": [False, None],
    "format": ["text", "markdown", "html", None],
    "unsafe": [True, False],
    "title": ["A title", None],
}


def _json_body(rng: random.Random, text: str) -> bytes:
    """Half the requests well-formed (the text is what is mutated), half with wrong fields."""
    keys = ["text", "lang", "source", "src_lang", "select", "ignore", "lm", "format", "unsafe", "title", "extra"]
    body: dict[str, object] = {"text": text} if rng.random() < 0.9 else {}
    if rng.random() < 0.5:
        for k in rng.sample(sorted(_VALID), rng.randint(0, 4)):
            body[k] = rng.choice(_VALID[k])
        if rng.random() < 0.3:
            body["source"] = text[: len(text) // 2]
        return json.dumps(body).encode("utf-8", "surrogatepass")
    for k in rng.sample(keys, rng.randint(0, 5)):
        body[k] = _random_value(rng, text)
    raw = json.dumps(body, allow_nan=True)  # NaN as JSON cannot say it: clients send it anyway
    shape = rng.random()
    if shape < 0.05:
        return ("[" * rng.randint(1000, 100_000)).encode()
    if shape < 0.1:
        return raw.encode()[: rng.randint(0, len(raw))]
    if shape < 0.15:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))
    return raw.encode("utf-8", "surrogatepass")


def _form_body(rng: random.Random, text: str) -> bytes:
    import urllib.parse

    fields: dict[str, str] = {}
    if rng.random() < 0.5:
        fields["text"] = text
    else:
        annotation = rng.choice(
            [
                {"annotation": [{"text": text[:200]}, {"markup": "<b>"}, {"text": " more"}]},
                {"annotation": "abc"},
                {"annotation": ["x"]},
                {"annotation": [{"markup": "<p>", "interpretAs": "\n\n"}, {"text": text[:100]}]},
                {"annotation": [{"text": 5}]},
                {"nope": 1},
                "[" * 5000,
            ]
        )
        fields["data"] = annotation if isinstance(annotation, str) else json.dumps(annotation)
        if rng.random() < 0.2:
            fields["data"] = "[" * rng.randint(1000, 100_000)
    fields["language"] = rng.choice(["auto", "en-US", "en", "fr", "xx-YY", "", "\ud800"])
    return urllib.parse.urlencode(fields, encoding="utf-8", errors="surrogatepass").encode()


def _send(url: str, body: bytes, ctype: str) -> tuple[int, bytes, str]:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": ctype}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, r.read(), r.headers.get("content-type", "")
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers.get("content-type", "")


def phase_service(n: int, seed: int, show: int) -> Counter[str]:
    from mtcheck.fuzz import cases

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mtcheck.cli", "serve", "--no-lm", "--port", str(port), "--timeout", "20"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    problems: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    try:
        _wait_for(base, server)
        rng = random.Random(seed + 2)
        for i, case in enumerate(cases(seeds(), n, seed + 2)):
            if rng.random() < 0.25:
                endpoint, body, ctype = "/v2/check", _form_body(rng, case.text), "application/x-www-form-urlencoded"
            else:
                endpoint, body, ctype = rng.choice(_ENDPOINTS), _json_body(rng, case.text), "application/json"
            try:
                status, answer, answer_type = _send(base + endpoint, body, ctype)
            except OSError as exc:
                problems[f"{endpoint}: no answer: {exc}"[:90]] += 1
                continue
            statuses[status] += 1
            problem = _service_problem(status, answer, answer_type)
            if problem:
                problems[f"{endpoint}: {problem}"[:90]] += 1
                if show and sum(problems.values()) <= show:
                    print(f"  service case {i} {endpoint}: {problem}\n    {body[:300]!r}")
            _tick("service", i + 1, n)
        status, _, _ = _send(base + "/v1/check", b'{"text": "Prices rose."}', "application/json")
        if status != 200:
            problems[f"after the run: /v1/check answered {status}"] += 1
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    print(f"  answers: {', '.join(f'{k}: {v}' for k, v in sorted(statuses.items()))}")
    log = err.decode("utf-8", "replace")
    tracebacks = log.count("Traceback")
    if tracebacks:
        problems["tracebacks in the service's log"] += tracebacks
        if show:
            start = log.index("Traceback")
            end = log.find("\nINFO", start)
            tail = log[start : end if end > 0 else start + 6000][-2500:]
            print("  the service's first traceback (end):\n    " + tail.replace("\n", "\n    "))
    return problems


def _service_problem(status: int, answer: bytes, answer_type: str) -> str | None:
    if status >= 500:
        return f"status {status}: {answer[:120]!r}"
    if status >= 400:
        try:
            body = json.loads(answer)
        except ValueError:
            return f"status {status} with a body that is not JSON: {answer[:80]!r}"
        if not isinstance(body, dict) or "error" not in body:
            return f"status {status} without the error shape: {answer[:80]!r}"
    elif "json" in answer_type:
        json.loads(answer)
    return None


def _wait_for(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the service did not start")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the service did not answer /healthz in 120 s")


def _tick(label: str, done: int, total: int) -> None:
    if sys.stderr.isatty() and (done % 25 == 0 or done == total):
        sys.stderr.write(f"\r{label}: {done}/{total}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


PHASES = {"api": phase_api, "cli": phase_cli, "service": phase_service}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=3000, help="Cases per phase.")
    ap.add_argument("--phases", default="api,cli,service")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--show", type=int, default=5, help="Print the first problems found, with their input.")
    args = ap.parse_args(argv)
    failed = False
    for name in args.phases.split(","):
        t0 = time.perf_counter()
        problems = PHASES[name](args.cases, args.seed, args.show)
        total = sum(problems.values())
        print(f"{name}: {args.cases} cases in {time.perf_counter() - t0:.0f} s, {total} problems")
        for p, count in problems.most_common(15):
            print(f"  {count:>5}  {p}")
        failed = failed or total > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
