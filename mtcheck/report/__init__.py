"""Reporters: pure functions from results to text. Checks never format, reporters never check."""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mtcheck import __version__
from mtcheck.document import LineIndex
from mtcheck.model import Applicability, Finding, Rule, Severity

if TYPE_CHECKING:
    from mtcheck.api import Result

SCHEMA_VERSION = 1
FORMATS = ("text", "json", "jsonl", "sarif", "github", "html")
VERDICTS = ("pass", "review", "block")


def sentence_dicts(result: Result) -> list[dict[str, Any]]:
    """The language model's scores of each sentence, as the JSON output gives them; with a
    learned span head, also its error load (expected error tokens; lower is better)."""
    out: list[dict[str, Any]] = [{"start": s, "end": e, "fluency": f, "surprise": b} for s, e, f, b in result.fluency()]
    if result.error_load() is not None and result.lm is not None:
        for d, sent in zip(out, result.lm.sentences, strict=True):
            d["error_load"] = round(sent.error_load, 3)
    return out


@dataclass
class FileResult:
    """One checked text: a file, stdin, or one record of a corpus."""

    path: str
    text: str
    findings: list[Finding]
    lang: str | None = None
    src_lang: str | None = None
    record: dict[str, Any] = field(default_factory=dict)  # corpus record id and the like
    # The language model's fluency of each sentence ({start, end, fluency}), when a model ran.
    sentences: list[dict[str, Any]] = field(default_factory=list)
    model: dict[str, str] | None = None
    notes: tuple[str, ...] = ()  # why no model ran, when one was wanted
    _lines: LineIndex | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, path: str, text: str, result: Result) -> FileResult:
        """From what ``mtcheck.api.check_document`` returned for ``text``."""
        return cls(
            path,
            text,
            result.findings,
            result.lang,
            result.src_lang,
            sentences=sentence_dicts(result),
            model=result.lm.spec.as_dict() if result.lm else None,
            notes=result.notes,
        )

    @property
    def name(self) -> str:
        """The path as text: bytes that are not UTF-8 in a file name become U+FFFD."""
        return self.path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")

    @property
    def location(self) -> str:
        """Where line:column apply: the file, or one record of a corpus ("c.jsonl[12]")."""
        return f"{self.name}[{self.record['line']}]" if "line" in self.record else self.name

    def line_col(self, pos: int) -> tuple[int, int]:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines(pos)


def verdict(findings: Iterable[Finding], block_at: Severity = Severity.MAJOR) -> str:
    """The publish gate: block on a finding at or above ``block_at``, review on any other finding."""
    severities = [f.severity for f in findings]
    if any(s >= block_at for s in severities):
        return "block"
    return "review" if severities else "pass"


def ruleset(rules: Iterable[Rule]) -> dict[str, Any]:
    """The rule set as a signature: which codes ran, and a hash of their definitions."""
    rules = list(rules)
    h = hashlib.sha256()
    for r in rules:
        h.update(f"{r.code}|{r.slug}|{r.severity}|{r.category}|{r.languages}|{r.pairs}|{len(r.examples)}".encode())
    return {"codes": [r.code for r in rules], "hash": h.hexdigest()[:12]}


def finding_dicts(res: FileResult) -> list[dict[str, Any]]:
    out = []
    for f in res.findings:
        line, col = res.line_col(f.start)
        out.append(f.to_dict(line, col))
    return out


def file_dict(res: FileResult) -> dict[str, Any]:
    d: dict[str, Any] = {"path": res.name, "lang": res.lang, "src_lang": res.src_lang}
    d.update(res.record)
    d["findings"] = finding_dicts(res)
    if res.model is not None:
        d["sentences"] = res.sentences
    return d


def header(
    rules: Iterable[Rule], options: dict[str, Any] | None = None, model: dict[str, str] | None = None
) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "mtcheck_version": __version__,
        "ruleset": ruleset(rules),
        "model": model,  # the language model that ran (name, version, backend), or null
        "options": options or {},
    }


def to_json(results: list[FileResult], rules: Iterable[Rule], options: dict[str, Any] | None = None) -> str:
    doc = header(rules, options, next((r.model for r in results if r.model), None))
    doc["files"] = [file_dict(r) for r in results]
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_jsonl_line(res: FileResult) -> str:
    return "".join(jsonl_pieces(res))


def jsonl_pieces(res: FileResult, batch: int = 1000) -> Iterator[str]:
    """``to_jsonl_line`` in pieces, ``batch`` findings apiece: the line of a 50 MB file holds
    200,000 findings, and as one list of dicts and one string it would cost more memory than
    the check itself. The same characters as ``json.dumps(file_dict(res))``."""
    if "findings" in res.record or "sentences" in res.record:  # keys of their own place
        yield json.dumps(file_dict(res), ensure_ascii=False) + "\n"
        return
    head: dict[str, Any] = {"path": res.name, "lang": res.lang, "src_lang": res.src_lang}
    head.update(res.record)
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "findings": ['
    findings = res.findings
    for i in range(0, len(findings), batch):
        dicts = []
        for f in findings[i : i + batch]:
            line, col = res.line_col(f.start)
            dicts.append(f.to_dict(line, col))
        yield (", " if i else "") + json.dumps(dicts, ensure_ascii=False)[1:-1]
    yield "]"
    if res.model is not None:
        yield ', "sentences": ' + json.dumps(res.sentences, ensure_ascii=False)
    yield "}\n"


def _fix_note(f: Finding) -> str:
    if f.fix is not None:
        shown = f.fix.replacement if f.fix.replacement else "(delete)"
        return f" -> {shown} [{f.fix.applicability} fix]"
    if f.suggestions:
        return f" -> {f.suggestions[0] or '(delete)'} [suggestion]"
    return ""


def to_text_lines(res: FileResult) -> Iterable[str]:
    for f in res.findings:
        line, col = res.line_col(f.start)
        yield f"{res.location}:{line}:{col}: {f.code} {f.severity} {f.message}{_fix_note(f)}"


def summary(results: list[FileResult]) -> str:
    findings = [f for r in results for f in r.findings]
    if not findings:
        return f"All checks passed ({len(results)} {'text' if len(results) == 1 else 'texts'})."
    safe = sum(1 for f in findings if f.fix and f.fix.applicability is Applicability.SAFE)
    unsafe = sum(1 for f in findings if f.fix and f.fix.applicability is Applicability.UNSAFE)
    by_sev = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    parts = ", ".join(f"{n} {s}" for s, n in sorted(by_sev.items(), reverse=True) if n)
    msg = f"Found {len(findings)} {'finding' if len(findings) == 1 else 'findings'} ({parts})."
    if safe:
        msg += f"\n{safe} fixable with `mtcheck fix`."
    if unsafe:
        msg += f"\n{unsafe} more fixable with `mtcheck fix --unsafe-fixes`."
    return msg


def _github_escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        s = s.replace(":", "%3A").replace(",", "%2C")
    return s


def to_github_lines(res: FileResult) -> Iterable[str]:
    """GitHub Actions workflow commands: annotations on the pull request's diff."""
    for f in res.findings:
        level = {Severity.MINOR: "warning", Severity.MAJOR: "error", Severity.CRITICAL: "error"}[f.severity]
        line, col = res.line_col(f.start)
        end_line, end_col = res.line_col(max(f.start, f.end - 1))
        props = (
            f"file={_github_escape(res.location, True)},line={line},col={col},"
            f"endLine={end_line},endColumn={end_col},title={_github_escape(f'{f.code} {f.rule}', True)}"
        )
        yield f"::{level} {props}::{_github_escape(f.message + _fix_note(f))}"


def _sarif_level(sev: Severity) -> str:
    return {Severity.MINOR: "note", Severity.MAJOR: "warning", Severity.CRITICAL: "error"}[sev]


def _region(res: FileResult, start: int, end: int) -> dict[str, int]:
    line, col = res.line_col(start)
    end_line, end_col = res.line_col(end)
    return {
        "startLine": line,
        "startColumn": col,
        "endLine": end_line,
        "endColumn": end_col,
        "charOffset": start,
        "charLength": end - start,
    }


def to_sarif(results: list[FileResult], rules: Iterable[Rule]) -> str:
    """SARIF 2.1.0, columns and offsets in Unicode code points."""
    rules = list(rules)
    index = {r.code: i for i, r in enumerate(rules)}
    driver = {
        "name": "mtcheck",
        "version": __version__,
        "informationUri": "https://pypi.org/project/mtcheck/",
        "rules": [
            {
                "id": r.code,
                "name": r.slug,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.explanation or r.summary},
                "defaultConfiguration": {"level": _sarif_level(r.severity)},
                "properties": {"category": r.category, "languages": list(r.languages)},
            }
            for r in rules
        ],
    }
    out_results = []
    for res in results:
        loc = {"artifactLocation": {"uri": urllib.parse.quote(res.location)}}
        for f in res.findings:
            item: dict[str, Any] = {
                "ruleId": f.code,
                "level": _sarif_level(f.severity),
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {**loc, "region": _region(res, f.start, f.end)}}],
                "properties": {"category": f.category, "severity": str(f.severity), "suggestions": list(f.suggestions)},
            }
            if f.code in index:
                item["ruleIndex"] = index[f.code]
            if f.fix is not None:
                item["fixes"] = [
                    {
                        "description": {"text": f"{f.fix.applicability} fix"},
                        "artifactChanges": [
                            {
                                **loc,
                                "replacements": [
                                    {
                                        "deletedRegion": _region(res, *f.edit_span),
                                        "insertedContent": {"text": f.fix.replacement},
                                    }
                                ],
                            }
                        ],
                    }
                ]
            out_results.append(item)
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "columnKind": "unicodeCodePoints",
                "results": out_results,
                # The same signature as the JSON output: what produced these results.
                "properties": {k: v for k, v in header(rules).items() if k != "options"},
            }
        ],
    }
    return json.dumps(sarif, ensure_ascii=False, indent=2) + "\n"
