"""The command line: a thin adapter over the library. Errors become exit code 2 here."""

from __future__ import annotations

import contextlib
import difflib
import errno
import json
import math
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from mtcheck import __version__
from mtcheck.config import Config, ConfigError, split_lp
from mtcheck.config import load as load_config
from mtcheck.model import Severity

app = typer.Typer(
    name="mtcheck",
    help=(
        "Find and fix the artefacts machine translation leaves in news articles.\n\n"
        "Examples:\n\n"
        "  mtcheck check article.txt\n\n"
        "  mtcheck check a.txt b.md --format json\n\n"
        "  cat article.txt | mtcheck check - --lang en\n\n"
        "  mtcheck fix article.txt --diff\n\n"
        "  mtcheck rules MT101\n\n"
        "  mtcheck check article.txt --no-lm   # rules only, fast\n\n"
        "  mtcheck models   # language models, installed or not"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    sarif = "sarif"
    github = "github"
    html = "html"


class InputFormat(StrEnum):
    auto = "auto"
    text = "text"
    markdown = "markdown"
    html = "html"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mtcheck {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = None,
) -> None:
    """Find and fix the artefacts machine translation leaves in news articles."""


def _err(msg: str) -> None:
    typer.echo(f"mtcheck: error: {msg}", err=True)


def _note(msg: str) -> None:
    typer.echo(f"mtcheck: note: {msg}", err=True)


# Options shared by `check` and `fix`.
LangOpt = Annotated[
    Optional[str],
    typer.Option(
        "--lang",
        "-l",
        help="Target language (ISO 639-1: en, fr, de, es...), with a region where its conventions differ "
        "(de-CH and es-MX write 2.5, pt-PT quotes « »). Detected when absent.",
    ),
]
SrcLangOpt = Annotated[
    Optional[str], typer.Option("--src-lang", help="Source language; enables the false-friend packs of that pair.")
]
SelectOpt = Annotated[
    Optional[list[str]],
    typer.Option("--select", help="Only these codes or prefixes (MT1, MT201). Repeatable or comma-separated."),
]
ExtendSelectOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--extend-select",
        help="Add these codes to the selection; an opt-in rule (see `mtcheck rules`) is switched on by its code.",
    ),
]
IgnoreOpt = Annotated[
    Optional[list[str]],
    typer.Option("--ignore", help="Skip these codes or prefixes. The longer prefix wins over --select."),
]
SeverityOpt = Annotated[
    Optional[str], typer.Option("--severity", help="Report only findings at or above: minor, major, critical.")
]
ConfigOpt = Annotated[
    Optional[Path], typer.Option("--config", help="A mtcheck.toml or pyproject.toml; default: the nearest one.")
]
InputFmtOpt = Annotated[
    InputFormat,
    typer.Option("--input-format", help="How to read the input; auto uses the extension (.md, .html) or sniffs."),
]
NoLmOpt = Annotated[bool, typer.Option("--no-lm", help="Rule checks only, no language model (fast).")]
ModelOpt = Annotated[
    Optional[str],
    typer.Option(
        "--model",
        help="Language model: a registered name (see `mtcheck models`), a local folder, or a Hugging Face id "
        "already in the local cache. Default: the registered model for the target language.",
    ),
]


def _config(
    config: Path | None,
    paths: list[str],
    select: list[str] | None,
    ignore: list[str] | None,
    severity: str | None,
    lang: str | None,
    src_lang: str | None,
    no_lm: bool,
    model: str | None = None,
    extend_select: list[str] | None = None,
) -> Config:
    """The configuration file nearest the first input (or --config), under the CLI's options."""
    start = Path(paths[0]).parent if paths and paths[0] != "-" else Path.cwd()
    from mtcheck.checks import all_rules

    base = load_config(str(config) if config else None, start)
    cfg = base.merged(
        select=select,
        extend_select=extend_select,
        ignore=ignore,
        severity=severity,
        lang=lang,
        src_lang=src_lang,
        lm=False if no_lm else None,
        model=model,
    )
    cfg.validate_codes([r.code for r in all_rules()])
    return cfg


def _check_one(
    text: str,
    name: str,
    cfg: Config,
    fmt: InputFormat,
    lang: str | None,
    src_lang: str | None,
    source: str | None = None,
) -> Any:
    from mtcheck.api import check_document
    from mtcheck.report import FileResult

    result = check_document(
        text,
        lang=lang,
        src_lang=src_lang,
        source=source,
        config=cfg,
        fmt=None if fmt is InputFormat.auto else fmt.value,
        filename=None if name == "-" else name,
        progress=_lm_progress(name),
    )
    return FileResult.of(name if name != "-" else "<stdin>", text, result)


def _lm_progress(label: str) -> Any:
    """A progress line on stderr while the model scores a long text, when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def tick(done: int, total: int) -> None:
        if total >= 50:
            end = "\n" if done == total else ""
            sys.stderr.write(f"\r{label}: language model {done}/{total} sentences ({100 * done // total}%){end}")
            sys.stderr.flush()

    return tick


def _is_corpus(path: str, text_field: str | None) -> bool:
    return text_field is not None or path.lower().endswith((".jsonl", ".ndjson"))


def _json_safe(value: object) -> object:
    """A record id as JSON can write it: NaN and infinities become strings."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _corpus_records(
    path: str,
    text: str,
    cfg: Config,
    fmt: InputFormat,
    lang: str | None,
    src_lang: str | None,
    text_field: str,
    source_field: str | None,
    lang_field: str | None,
    id_field: str | None,
) -> Iterator[tuple[Any, str | None]]:
    """(result, None) per record, or (None, error message) for a record that cannot be
    checked: one bad line does not stop the corpus."""
    # JSON Lines ends records with "\n" only; str.splitlines() would also cut at U+2028.
    lines = text.split("\n")
    twins = _corpus_twins(lines, text_field, source_field) if source_field and cfg.selects("MT912") else {}
    progress = _progress(len(lines), path)
    for n, line in enumerate(lines, 1):
        progress(n)
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            yield None, f"{path}:{n}: not a JSON object ({reason})"
            continue
        if not isinstance(rec, dict) or not isinstance(rec.get(text_field), str):
            yield None, f"{path}:{n}: no string field {text_field!r} (choose one with --text-field)"
            continue
        rec = _without_surrogates(rec)
        r_src, r_tgt = split_lp(rec.get(lang_field)) if lang_field else (None, None)
        source = rec.get(source_field) if source_field else None
        try:
            res = _check_one(
                rec[text_field],
                path,
                cfg,
                fmt,
                lang or r_tgt,
                src_lang or r_src,
                source if isinstance(source, str) else None,
            )
        except (ConfigError, ValueError) as exc:  # a record's own bad language pair, say
            yield None, f"{path}:{n}: {exc}"
            continue
        res.path = path
        res.record = {"line": n, "id": _json_safe(rec.get(id_field or "id", n))}
        if n in twins and cfg.severity <= Severity.MINOR:
            from mtcheck.checks.source import corpus_finding

            res.findings = sorted(
                [*res.findings, corpus_finding(rec[text_field], twins[n])], key=lambda f: (f.start, f.end, f.code)
            )
        yield res, None
    progress(-1)


def _without_surrogates(value: Any) -> Any:
    """A JSON record with every lone surrogate ("\\ud800", which JSON allows and no UTF-8 output
    can hold) replaced by U+FFFD: the record is checked and reported like the others, with
    every offset where it was."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def _corpus_twins(lines: list[str], text_field: str, source_field: str) -> dict[int, str]:
    """Line number -> the commoner translation, for the records whose source occurs again in
    the corpus (for the same "system", when records have one) translated otherwise."""
    from mtcheck.checks.source import corpus_inconsistencies

    numbers: list[int] = []
    records: list[tuple[str, str | None, str]] = []
    for n, line in enumerate(lines, 1):
        try:
            rec = json.loads(line) if line.strip() else None
        except (json.JSONDecodeError, RecursionError):
            continue
        if isinstance(rec, dict) and isinstance(rec.get(text_field), str):
            source = rec.get(source_field)
            records.append((str(rec.get("system", "")), source if isinstance(source, str) else None, rec[text_field]))
            numbers.append(n)
    return {numbers[i]: common for i, common in corpus_inconsistencies(records).items()}


def _progress(total: int, label: str) -> Any:
    """A progress line on stderr for long corpora when stderr is a terminal."""
    if total < 200 or not sys.stderr.isatty():
        return lambda n: None

    def tick(n: int) -> None:
        if n < 0:
            sys.stderr.write("\n")
        elif n % 50 == 0 or n == total:
            sys.stderr.write(f"\r{label}: {n}/{total} records ({100 * n // total}%)")
            sys.stderr.flush()

    return tick


@app.command()
def check(
    paths: Annotated[
        list[str], typer.Argument(help="Files to check; - reads standard input. A .jsonl file is a corpus.")
    ],
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="text, json, jsonl (one line per text), sarif (2.1.0), github (workflow annotations) "
            "or html (a page with the findings highlighted: mtcheck check a.md -f html > a.html).",
        ),
    ] = OutputFormat.text,
    block_at: Annotated[
        str,
        typer.Option("--block-at", help="The html report's publish verdict: block at this severity, else review."),
    ] = "major",
    lang: LangOpt = None,
    src_lang: SrcLangOpt = None,
    source: Annotated[Optional[Path], typer.Option("--source", help="The source text of a single input file.")] = None,
    select: SelectOpt = None,
    extend_select: ExtendSelectOpt = None,
    ignore: IgnoreOpt = None,
    severity: SeverityOpt = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings.")] = False,
    config: ConfigOpt = None,
    input_format: InputFmtOpt = InputFormat.auto,
    text_field: Annotated[
        Optional[str], typer.Option("--text-field", help="Corpus: the field holding the translation (default: target).")
    ] = None,
    source_field: Annotated[
        Optional[str], typer.Option("--source-field", help="Corpus: the field holding the source text.")
    ] = None,
    lang_field: Annotated[
        Optional[str],
        typer.Option("--lang-field", help="Corpus: the field with the language pair (zh-en) or target language."),
    ] = None,
    id_field: Annotated[
        Optional[str], typer.Option("--id-field", help="Corpus: the field that identifies a record (default: id).")
    ] = None,
    no_lm: NoLmOpt = False,
    model: ModelOpt = None,
) -> None:
    """Check translated texts and report what machine translation left behind.

    Exit status: 0 no findings at or above --severity, 1 findings, 2 usage or input error.
    """
    from mtcheck import report
    from mtcheck.checks import all_rules
    from mtcheck.lm import ModelUnavailable
    from mtcheck.textio import InputError, read

    try:
        cfg = _config(config, paths, select, ignore, severity, lang, src_lang, no_lm, model, extend_select)
        gate = Severity.parse(block_at)
        source_text = read(str(source)).text if source else None
    except (ConfigError, InputError, ValueError) as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_ERROR) from None
    results: list[Any] = []
    errors = 0
    worst = False
    fmt = output_format

    noted: set[str] = set()

    def emit(res: Any) -> None:
        nonlocal worst
        for note in res.notes:
            if note not in noted:  # once per run, not once per record of a corpus
                noted.add(note)
                _note(note)
        worst = worst or any(f.severity >= cfg.severity for f in res.findings)
        if fmt is OutputFormat.jsonl:
            for piece in report.jsonl_pieces(res):
                sys.stdout.write(piece)
            sys.stdout.flush()
        elif fmt is OutputFormat.text:
            for line in report.to_text_lines(res):
                typer.echo(line)
            results.append(res)
        elif fmt is OutputFormat.github:
            for line in report.to_github_lines(res):
                typer.echo(line)
            results.append(res)
        else:
            results.append(res)

    try:
        for path in paths:
            try:
                loaded = read(path)
                if _is_corpus(path, text_field):
                    for res, problem in _corpus_records(
                        path if path != "-" else "<stdin>",
                        loaded.text,
                        cfg,
                        input_format,
                        cfg.lang,
                        cfg.src_lang,
                        text_field or "target",
                        source_field,
                        lang_field,
                        id_field,
                    ):
                        if problem:
                            _err(problem)
                            errors += 1
                        else:
                            emit(res)
                else:
                    emit(_check_one(loaded.text, path, cfg, input_format, cfg.lang, cfg.src_lang, source_text))
            except (InputError, ConfigError) as exc:
                _err(str(exc))
                errors += 1
    except ModelUnavailable as exc:  # a model the user named: nothing can be checked as asked
        _err(str(exc))
        raise typer.Exit(EXIT_ERROR) from None
    rules = [r for r in all_rules() if cfg.selects(r.code)]
    options = {
        "lang": cfg.lang,
        "src_lang": cfg.src_lang,
        "select": list(cfg.select),
        "ignore": list(cfg.ignore),
        "severity": str(cfg.severity),
    }
    if fmt is OutputFormat.json:
        sys.stdout.write(report.to_json(results, rules, options))
    elif fmt is OutputFormat.sarif:
        sys.stdout.write(report.to_sarif(results, rules))
    elif fmt is OutputFormat.html:
        from mtcheck.report.html import to_html

        sys.stdout.write(to_html(results, gate))
    elif fmt is OutputFormat.text and results:
        typer.echo(report.summary(results), err=False)
    if errors:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_FINDINGS if worst and not exit_zero else EXIT_CLEAN)


@app.command()
def fix(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files to fix in place; - reads standard input and writes the fixed text to standard output."
        ),
    ],
    unsafe_fixes: Annotated[
        bool, typer.Option("--unsafe-fixes", help="Also apply unsafe fixes (deletions, rewordings).")
    ] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Show the changes as a unified diff; write nothing.")] = False,
    lang: LangOpt = None,
    src_lang: SrcLangOpt = None,
    source: Annotated[
        Optional[Path],
        typer.Option("--source", help="The source text of the (single) file: enables the MT9xx fixes (names, URLs)."),
    ] = None,
    select: SelectOpt = None,
    extend_select: ExtendSelectOpt = None,
    ignore: IgnoreOpt = None,
    severity: SeverityOpt = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when findings remain.")] = False,
    config: ConfigOpt = None,
    input_format: InputFmtOpt = InputFormat.auto,
    no_lm: NoLmOpt = False,
    model: ModelOpt = None,
) -> None:
    """Apply fixes: safe ones by default, unsafe ones with --unsafe-fixes.

    Fixes prose files: .txt, .md, .markdown, .html, .htm (and .text, .mdown, .mkd, .xhtml);
    any other file only when --input-format says how to read it. The file is replaced
    atomically and only if no other program changed it meanwhile (fix then starts again,
    and after 3 tries gives up without writing, exit 2); fixes never overlap, and running
    fix twice changes nothing more. Exit status: 0 nothing left to report, 1 findings remain
    (or, with --diff, there are changes), 2 usage or input error.
    """
    from mtcheck.lm import ModelUnavailable
    from mtcheck.textio import InputError, read

    try:
        cfg = _config(config, paths, select, ignore, severity, lang, src_lang, no_lm, model, extend_select)
        if source and len(paths) > 1:
            raise ValueError("--source goes with one file to fix, not several")
        source_text = read(str(source)).text if source else None
    except (ConfigError, InputError, ValueError) as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_ERROR) from None
    errors = 0
    remaining = False
    changed = False
    fmt = None if input_format is InputFormat.auto else input_format.value
    for path in paths:
        refusal = _not_fixable(path, fmt)
        if refusal:
            _err(refusal)
            errors += 1
            continue
        try:
            outcome = _fix_one(path, cfg, fmt, unsafe_fixes, source_text, write=not diff)
        except InputError as exc:
            _err(str(exc))
            errors += 1
            continue
        except ModelUnavailable as exc:
            _err(str(exc))
            raise typer.Exit(EXIT_ERROR) from None
        if outcome.problem:
            _err(outcome.problem)
            errors += 1
            continue
        remaining = remaining or any(f.severity >= cfg.severity for f in outcome.left)
        changed = changed or outcome.new != outcome.old
        if diff:
            sys.stdout.write(unified_diff(outcome.old, outcome.new, path if path != "-" else "<stdin>"))
            continue
        if path == "-":
            if outcome.bom:
                sys.stdout.write("\ufeff")  # the byte-order mark goes back where it was
            sys.stdout.write(outcome.new)
        else:
            fixes_word = "fix" if len(outcome.applied) == 1 else "fixes"
            typer.echo(
                f"{path}: {len(outcome.applied)} {fixes_word} applied, {len(outcome.left)} findings remain", err=True
            )
    if errors:
        raise typer.Exit(EXIT_ERROR)
    if diff:
        raise typer.Exit(EXIT_FINDINGS if changed and not exit_zero else EXIT_CLEAN)
    raise typer.Exit(EXIT_FINDINGS if remaining and not exit_zero else EXIT_CLEAN)


# What `fix` edits in place: prose. Anything else (code, configuration, data) needs the
# user to say its format, so that a hook matching every text file cannot turn `import os`
# into `Import os`.
PROSE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".mdown", ".mkd", ".html", ".htm", ".xhtml")

# Tries of read, fix and replace before `fix` gives up on a file another program keeps writing.
FIX_TRIES = 3


def _not_fixable(path: str, fmt: str | None) -> str | None:
    """Why ``path`` is not fixed, or None."""
    if path == "-":
        return None
    if _is_corpus(path, None):
        return f"{path}: a corpus is checked, not fixed (fix works on articles: text, Markdown, HTML)"
    if fmt is None and not path.lower().endswith(PROSE_SUFFIXES):
        suffix = Path(path).suffix or "no extension"
        return (
            f"{path}: not a prose file ({suffix}); mtcheck fixes {', '.join(PROSE_SUFFIXES)} files. "
            "To fix it anyway, give its format: --input-format text (or markdown, html)"
        )
    return None


@dataclass(frozen=True)
class _Fixed:
    old: str
    new: str
    bom: bool
    applied: list[Any]
    left: list[Any]
    problem: str | None = None  # why nothing was written


def _fix_one(path: str, cfg: Config, fmt: str | None, unsafe: bool, source: str | None, write: bool) -> _Fixed:
    """Read, fix and (with ``write``) replace one file, again from the start when another
    program changed it meanwhile: a fix never discards a change it did not read."""
    from mtcheck.api import check_document, fix_until_stable
    from mtcheck.textio import FileChanged, OutputError, read, write_atomic

    name = None if path == "-" else path
    for _ in range(FIX_TRIES):
        loaded = read(path)
        new, applied = fix_until_stable(loaded.text, unsafe=unsafe, config=cfg, fmt=fmt, filename=name, source=source)
        left = check_document(new, config=cfg, fmt=fmt, filename=name, source=source).findings
        done = _Fixed(loaded.text, new, loaded.bom, applied, left)
        if not write or name is None or new == loaded.text:
            return done
        try:
            write_atomic(path, new, loaded.bom, expected=loaded.stamp)
            return done
        except FileChanged as exc:
            if exc.kept is not None:
                return replace(done, problem=str(exc))
        except (OSError, OutputError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            return replace(done, problem=f"{path}: cannot write: {why}")
    return replace(
        done,
        problem=f"{path}: another program kept changing it while mtcheck was fixing it ({FIX_TRIES} tries); "
        "nothing written",
    )


def unified_diff(old: str, new: str, label: str) -> str:
    """A diff that patch(1) applies: lines end at "\\n" only (not at form feeds or U+2028),
    and a last line without a line break is marked as such."""

    def lines(text: str) -> list[str]:
        return re.findall(r"[^\n]*\n|[^\n]+$", text)

    out = []
    for line in difflib.unified_diff(lines(old), lines(new), fromfile=f"a/{label}", tofile=f"b/{label}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8080,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            help="Worker processes, each loading the model once (about 0.9 GB); one per core is fastest.",
        ),
    ] = 1,
    threads: Annotated[
        int,
        typer.Option("--threads", min=1, help="Checks running at once in each worker; more requests wait their turn."),
    ] = 2,
    block_at: Annotated[
        str, typer.Option("--block-at", help="Severity at which the publish verdict is block (else review).")
    ] = "major",
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Largest request body; larger gets 413.")] = 2_000_000,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds a check may take; longer gets 503.")] = 60.0,
    request_timeout: Annotated[
        float,
        typer.Option(
            "--request-timeout",
            min=0.1,
            help="Seconds a client has to send its request head, and again its body; slower gets 408.",
        ),
    ] = 10.0,
    no_lm: NoLmOpt = False,
    model: ModelOpt = None,
) -> None:
    """Run the HTTP service for editorial systems: POST /v1/check, /v1/fix, /v1/render, /v2/check
    (LanguageTool-compatible), GET /v1/rules, /healthz; the OpenAPI document at /openapi.json.
    Needs `pip install 'mtcheck[serve]'`."""
    try:
        import uvicorn

        Severity.parse(block_at)
    except ImportError:
        _err("the service needs FastAPI and uvicorn: pip install 'mtcheck[serve]'")
        raise typer.Exit(EXIT_ERROR) from None
    except ValueError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_ERROR) from None
    if model and not no_lm:  # a named model must be there before the workers start
        from mtcheck.api import model_for
        from mtcheck.lm import ModelUnavailable
        from mtcheck.lm.status import installed

        try:
            spec = model_for(Config(model=model), None)
            ready, detail = installed(spec) if spec else (False, f"no model {model!r}")
        except ModelUnavailable as exc:
            ready, detail = False, str(exc)
        if not ready:
            _err(detail)
            raise typer.Exit(EXIT_ERROR)
    settings = {
        "lm": not no_lm,
        "model": model,
        "block_at": block_at,
        "max_bytes": max_bytes,
        "timeout_s": timeout,
        "threads": threads,
        "request_timeout_s": request_timeout,
    }
    os.environ["MTCHECK_SERVE"] = json.dumps(settings)  # read by every worker process
    if workers > 1 and "OMP_NUM_THREADS" not in os.environ:
        # Share the cores among the workers' torch threads: two workers with a thread per core
        # each spin-wait against each other (28 requests/s on 2 cores; 65 with this).
        os.environ["OMP_NUM_THREADS"] = str(max(1, (os.cpu_count() or 1) // workers))
    if workers == 1:
        # One worker is this process: load word lists and model here, where a model that cannot
        # load is a clear error, not a traceback from the server's startup.
        from mtcheck.lm import ModelUnavailable
        from mtcheck.server import ServerSettings, warm

        try:
            warm(ServerSettings.from_env())
        except ModelUnavailable as exc:
            _err(str(exc))
            raise typer.Exit(EXIT_ERROR) from None
    from mtcheck.server import ServerSettings, uvicorn_options

    # The HTTP protocol with the request-head deadline (--request-timeout).
    options = uvicorn_options(ServerSettings.from_env())
    uvicorn.run(
        "mtcheck.server:app_from_env", factory=True, host=host, port=port, workers=workers, log_level="info", **options
    )


class EvalFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


def _count_rows(paths: list[str]) -> int:
    """How many segments a corpus has, when that is cheap to know (line-based files): the
    progress line's estimate of the time left."""
    total = 0
    for name in paths:
        p = Path(name)
        if not p.is_file() or p.suffix.lower() not in (".jsonl", ".ndjson", ".txt", ".en", ".tsv", ".csv"):
            return 0
        with p.open("rb") as fh:
            total += sum(1 for line in fh if line.strip())
    return total


@app.command(name="eval")
def eval_(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="A corpus: JSON Lines, CSV, TSV or Parquet files, a folder saved by datasets' save_to_disk, "
            "or (with --source) one plain-text file per system, aligned line by line."
        ),
    ],
    source: Annotated[Optional[Path], typer.Option("--source", help="Aligned text: the source file.")] = None,
    reference: Annotated[
        Optional[list[Path]], typer.Option("--reference", help="Aligned text: a reference file (repeatable).")
    ] = None,
    source_field: Annotated[str, typer.Option("--source-field", help="Field holding the source text.")] = "source",
    target_field: Annotated[str, typer.Option("--target-field", help="Field holding the translation.")] = "target",
    system_field: Annotated[str, typer.Option("--system-field", help="Field naming the system.")] = "system",
    reference_field: Annotated[
        Optional[list[str]],
        typer.Option("--reference-field", help="Field(s) holding references (a string or a list); repeatable."),
    ] = None,
    doc_field: Annotated[str, typer.Option("--doc-field", help="Field naming the document.")] = "doc_id",
    segment_field: Annotated[
        str, typer.Option("--segment-field", help="Field identifying the segment (else its position).")
    ] = "seg_id",
    lang_field: Annotated[str, typer.Option("--lang-field", help="Field with the language pair (zh-en).")] = "lp",
    baseline: Annotated[
        Optional[str], typer.Option("--baseline", help="The system the others are tested against (default: the first).")
    ] = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=0, help="Processes checking segments (workers of a local cluster); 0 = one per core."
        ),
    ] = 0,
    engine: Annotated[
        str, typer.Option("--engine", help="local (processes on this machine) or dask (a Dask cluster).")
    ] = "local",
    address: Annotated[
        Optional[str],
        typer.Option("--address", help="An existing Dask scheduler (tcp://host:8786); without it, a local cluster."),
    ] = None,
    samples: Annotated[int, typer.Option("--samples", min=10, help="Bootstrap resamples.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Bootstrap seed (sacreBLEU's default).")] = 12345,
    output_format: Annotated[
        EvalFormat,
        typer.Option("--format", "-f", help="table (terminal), json, csv, or html (a report with charts)."),
    ] = EvalFormat.table,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    lang: LangOpt = None,
    src_lang: SrcLangOpt = None,
    select: SelectOpt = None,
    extend_select: ExtendSelectOpt = None,
    ignore: IgnoreOpt = None,
    config: ConfigOpt = None,
    no_lm: NoLmOpt = False,
    model: ModelOpt = None,
) -> None:
    """Compare MT systems on a corpus: BLEU, chrF and TER (sacreBLEU) against references when
    there are any, mtcheck's findings per 1,000 words and its MQM-style penalty (reference-free),
    with the model the learned head's error load per segment (reference-free, English targets),
    ranks, and paired bootstrap tests against a baseline.

    Examples:

      mtcheck eval corpora/demo/demo.jsonl

      mtcheck eval runs.parquet --system-field engine --reference-field ref1 --reference-field ref2 -f json

      mtcheck eval --source src.fr --reference ref.en vendorA.en vendorB.en --baseline vendorA

      mtcheck eval big.parquet --engine dask --address tcp://head:8786
    """
    from mtcheck.eval import report as eval_report
    from mtcheck.eval.corpus import CorpusError, Fields, read_aligned, read_rows, with_languages
    from mtcheck.eval.engines import make_engine
    from mtcheck.eval.vendors import FindingCache, elapsed_progress, evaluate
    from mtcheck.lm import ModelUnavailable

    try:
        cfg = _config(config, paths, select, ignore, None, lang, src_lang, no_lm, model, extend_select)
    except (ConfigError, ValueError) as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_ERROR) from None
    if source is not None:
        segments = read_aligned(paths, str(source), [str(r) for r in reference or []], cfg.lang, cfg.src_lang)
        total = _count_rows([*paths])
    else:
        if reference:
            _err("--reference names aligned text files and needs --source; for records use --reference-field")
            raise typer.Exit(EXIT_ERROR)
        fields = Fields(
            source=source_field,
            target=target_field,
            system=system_field,
            references=tuple(reference_field or ["reference"]),
            doc=doc_field,
            segment=segment_field,
            lang=lang_field,
        )
        segments = read_rows(paths, fields, cfg.lang, cfg.src_lang)
        total = _count_rows(paths)
    segments = with_languages(segments)
    progress = elapsed_progress("mtcheck eval", sys.stderr) if sys.stderr.isatty() else None
    if progress and total:
        tick = progress
        progress = lambda done, _total: tick(done, total)  # noqa: E731
    try:
        runner = make_engine(engine, jobs or (os.cpu_count() or 1), address)
    except CorpusError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_ERROR) from None
    try:
        ev = evaluate(
            segments,
            cfg,
            engine=runner,
            baseline=baseline,
            n_samples=samples,
            seed=seed,
            cache=FindingCache.default(),
            progress=progress,
        )
    except (CorpusError, ConfigError) as exc:
        if progress:
            sys.stderr.write("\n")
        _err(str(exc))
        raise typer.Exit(EXIT_ERROR) from None
    except ModelUnavailable as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_ERROR) from None
    finally:
        runner.close()
    if progress:
        sys.stderr.write("\n")
    if output_format is EvalFormat.html:
        from mtcheck.eval.html import to_html as eval_html

        text = eval_html(ev, f"mtcheck eval: {', '.join(paths)}")
    else:
        text = {
            EvalFormat.table: eval_report.to_table,
            EvalFormat.json: eval_report.to_json,
            EvalFormat.csv: eval_report.to_csv,
        }[output_format](ev)
    if output is not None:
        from mtcheck.textio import OutputError, write_output

        try:
            write_output(str(output), text)
        except OutputError as exc:
            _err(str(exc))
            raise typer.Exit(EXIT_ERROR) from None
    else:
        sys.stdout.write(text)


@app.command()
def models(
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help="text or json.")] = OutputFormat.text,
) -> None:
    """List the registered language models: the default for each language, and whether its
    weights are installed. `--model` also takes a local folder or a cached Hugging Face id."""
    from mtcheck.lm import registered
    from mtcheck.lm.status import installed

    rows: list[dict[str, Any]] = []
    for spec in registered():
        ok, detail = installed(spec)
        rows.append(
            {
                **spec.as_dict(),
                "default_for": list(spec.languages),
                "licence": spec.licence,
                "installed": ok,
                "detail": detail,
            }
        )
    if output_format is OutputFormat.json:
        typer.echo(json.dumps({"models": rows}, indent=2))
        return
    for r in rows:
        langs = ", ".join(r["default_for"]) or "-"
        state = "installed" if r["installed"] else "not installed"
        typer.echo(f"{r['name']}  v{r['version']}  backend {r['backend']}  default for: {langs}  {r['licence']}")
        typer.echo(f"    {state}: {r['detail']}")


@app.command()
def rules(
    code: Annotated[Optional[str], typer.Argument(help="A rule code (MT101) or slug to explain.")] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help="text or json.")] = OutputFormat.text,
) -> None:
    """List every rule, or explain one with its examples."""
    from mtcheck.checks import all_rules, rule_by_code

    if code:
        rule = rule_by_code(code)
        if rule is None:
            _err(f"no rule {code!r}; `mtcheck rules` lists them")
            raise typer.Exit(EXIT_ERROR)
        selected = [rule]
    else:
        selected = all_rules()
    if output_format is OutputFormat.json:
        typer.echo(json.dumps([_rule_dict(r) for r in selected], ensure_ascii=False, indent=2))
        return
    if output_format is not OutputFormat.text:
        _err(f"rules are listed as text or json, not {output_format.value}")
        raise typer.Exit(EXIT_ERROR)
    if not code:
        for r in selected:
            langs = ",".join(r.languages) if r.languages != ("*",) else "any"
            pairs = f" ({','.join(r.pairs)})" if r.pairs else ""
            off = "  [opt-in]" if r.opt_in else ""
            typer.echo(f"{r.code}  {r.slug:<34} {r.severity!s:<8} {langs}{pairs}  {r.summary}{off}")
        return
    r = selected[0]
    typer.echo(f"{r.code} {r.slug}: {r.summary}")
    typer.echo(f"  severity: {r.severity}   category: {r.category}   family: {r.family}")
    typer.echo(f"  languages: {', '.join(r.languages)}" + (f"   pairs: {', '.join(r.pairs)}" if r.pairs else ""))
    if r.explanation:
        typer.echo("")
        typer.echo(_wrap(r.explanation))
    if r.opt_in:
        typer.echo(f"\n  Opt-in: off unless selected by its code (--extend-select {r.code}, or")
        typer.echo(f'  extend-select = ["{r.code}"] in the configuration). Why:')
        typer.echo(_wrap(r.opt_in))
    if r.family == "source":
        typer.echo('\n  Runs only with the source text: --source FILE (API and service: "source").')
    typer.echo("\nExamples:")
    for ex in r.examples:
        plain, s, e = ex.unmarked()
        if ex.source is not None:
            typer.echo(f"  source ({ex.src_lang or '?'}): {ex.source}")
        if ex.is_bad:
            arrow = f"  ->  {ex.fix!r}" if ex.fix is not None else ""
            typer.echo(f"  bad:  {plain}\n        flags {plain[s:e]!r}{arrow}")
        else:
            typer.echo(f"  good: {plain}")


def _wrap(text: str, width: int = 88) -> str:
    import textwrap

    return textwrap.fill(text, width, initial_indent="  ", subsequent_indent="  ")


def _rule_dict(r: Any) -> dict[str, Any]:
    return {
        "code": r.code,
        "slug": r.slug,
        "family": r.family,
        "summary": r.summary,
        "severity": str(r.severity),
        "category": r.category,
        "languages": list(r.languages),
        "pairs": list(r.pairs),
        "explanation": r.explanation,
        "opt_in": r.opt_in,
        "examples": [{"text": e.text, "fix": e.fix, "lang": e.lang, "src_lang": e.src_lang} for e in r.examples],
    }


def run() -> None:
    """Entry point: exit codes 0/1/2 as promised, and never a traceback for an output that
    cannot take what is written to it (a full disk, a device error). A closed pipe
    (``mtcheck check a.txt | head``) ends quietly, as click makes it."""
    # A string the output cannot hold (a lone surrogate that slipped past the readers) costs
    # one replacement character, never the whole report.
    with contextlib.suppress(AttributeError, ValueError):
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    try:
        try:
            app()
        finally:
            sys.stdout.flush()  # a buffered write to a full disk fails here, not at exit
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except OSError as exc:
        sys.exit(_output_failed(exc))


def _output_failed(exc: OSError) -> int:
    """One line for an error writing the output, then standard output goes nowhere, so that
    Python's own flush at exit cannot print a traceback about it."""
    from mtcheck.textio import why

    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    if exc.errno == errno.EPIPE:
        _err("the output was closed before mtcheck finished writing (broken pipe)")
    elif exc.filename:
        _err(f"{exc.filename}: {why(exc)}")
    else:
        _err(f"cannot write the output: {why(exc)}")
    return EXIT_ERROR


__all__ = ["Severity", "app", "run"]


if __name__ == "__main__":
    run()
