"""Corpora for `mtcheck eval`: several MT systems' translations of the same source segments.

Two layouts:

- **records** (one row per system and segment), read with Hugging Face ``datasets`` from local
  files only: JSON Lines, CSV, TSV, Parquet, or a folder written by ``Dataset.save_to_disk``.
  Field names are options; a segment is identified by its document and segment id fields when
  present, else by its position among the system's rows.
- **aligned text**: one plain-text file per system, plus the source and any references, line
  ``i`` of every file being segment ``i``.

Rows are streamed (``datasets`` streaming mode for files), so only the strings needed for the
reference-based metrics are kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mtcheck.config import split_lp

ROW_SUFFIXES = {
    ".jsonl": "json",
    ".ndjson": "json",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
}


class CorpusError(ValueError):
    """A corpus that cannot be read as asked: the message says what to change."""


@dataclass(frozen=True)
class Fields:
    """Which field of a row holds what (the command line's --*-field options)."""

    source: str = "source"
    target: str = "target"
    system: str = "system"
    references: tuple[str, ...] = ("reference",)
    doc: str | None = "doc_id"
    segment: str | None = "seg_id"
    lang: str | None = "lp"


@dataclass(frozen=True)
class Segment:
    """One system's translation of one source segment."""

    system: str
    key: tuple[str, str]  # (document, segment id): the same for every system's translation
    source: str | None
    target: str
    references: tuple[str, ...]
    lang: str | None = None
    src_lang: str | None = None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    raise CorpusError(f"expected text, found {type(value).__name__}: {value!r:.60}")


def _references(row: dict[str, Any], names: Sequence[str]) -> tuple[str, ...]:
    """The row's references: each named field may hold one string or a list of them."""
    out: list[str] = []
    for name in names:
        value = row.get(name)
        if value is None:
            continue
        if isinstance(value, list | tuple):
            out.extend(v for v in value if isinstance(v, str))
        elif isinstance(value, str):
            out.append(value)
    return tuple(out)


def segments_from_rows(
    rows: Iterable[dict[str, Any]],
    fields: Fields,
    lang: str | None = None,
    src_lang: str | None = None,
    where: str = "corpus",
) -> Iterator[Segment]:
    """Segments from row dicts; raises CorpusError naming the row and field that is wrong."""
    position: dict[str, int] = {}
    for n, row in enumerate(rows, 1):
        # A file's rows share one schema: a field one row lacks reads as None (null) there.
        missing = [f for f in (fields.target, fields.system) if row.get(f) is None]
        if missing:
            have = ", ".join(sorted(k for k, v in row.items() if v is not None)) or "none"
            raise CorpusError(
                f"{where}: row {n} has no field {' and no field '.join(map(repr, missing))} (or it is null; "
                f"fields with a value: {have}); every row needs the system's name and its translation: "
                "choose the fields with --system-field / --target-field"
            )
        system = str(row[fields.system])
        try:
            target = _text(row[fields.target]) or ""
            source = _text(row.get(fields.source))
        except CorpusError as e:
            raise CorpusError(f"{where}: row {n}: {e}") from None
        index = position.get(system, 0)
        position[system] = index + 1
        doc = str(row.get(fields.doc, "")) if fields.doc and row.get(fields.doc) is not None else ""
        seg_value = row.get(fields.segment) if fields.segment else None
        seg = str(seg_value) if seg_value is not None else str(index)
        row_src, row_tgt = split_lp(row.get(fields.lang)) if fields.lang else (None, None)
        yield Segment(
            system=system,
            key=(doc, seg),
            source=source,
            target=target,
            references=_references(row, fields.references),
            lang=lang or row_tgt,
            src_lang=src_lang or row_src,
        )


def _dataset_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of a local file or saved dataset, through ``datasets`` (never the network)."""
    try:
        import datasets
    except ImportError:
        raise CorpusError("reading corpora needs the datasets package: pip install 'mtcheck[eval]'") from None
    datasets.utils.logging.disable_progress_bar()
    if path.is_dir():
        try:
            loaded = datasets.load_from_disk(str(path))
        except FileNotFoundError as e:
            raise CorpusError(f"{path}: not a dataset saved with save_to_disk ({e})") from None
        if isinstance(loaded, datasets.DatasetDict):
            split = "test" if "test" in loaded else next(iter(loaded))
            loaded = loaded[split]
        yield from loaded
        return
    kind = ROW_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise CorpusError(f"{path}: unknown corpus format (expected {', '.join(sorted(ROW_SUFFIXES))} or a folder)")
    options: dict[str, Any] = {}
    if kind == "tsv":
        kind, options = "csv", {"delimiter": "\t"}
    if _blank(path):
        raise CorpusError(f"{path}: the file is empty: no rows to evaluate")
    try:
        stream = datasets.load_dataset(kind, data_files=str(path), split="train", streaming=True, **options)
        yield from stream
    except RuntimeError as e:  # a reader's StopIteration on a file with no data rows
        if isinstance(e.__cause__, StopIteration) or "StopIteration" in str(e):
            raise CorpusError(f"{path}: no rows in it") from None
        raise
    except (ValueError, TypeError, KeyError) as e:
        raise CorpusError(f"{path}: cannot read it as {kind}: {e}") from None
    except Exception as e:  # pyarrow's and pandas's parse errors have no common base class
        if type(e).__module__.split(".")[0] in ("pyarrow", "pandas", "datasets", "json"):
            raise CorpusError(f"{path}: cannot read it as {kind}: {e}") from None
        raise


def _blank(path: Path) -> bool:
    """A file of nothing but white space (parquet files are never blank)."""
    if path.suffix.lower() == ".parquet":
        return path.stat().st_size == 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 16):
            if chunk.strip():
                return False
    return True


def corpus_files(path: Path) -> list[Path]:
    """A folder that is not a saved dataset stands for the corpus files in it."""
    if not path.is_dir():
        return [path]
    if (path / "dataset_info.json").is_file() or (path / "dataset_dict.json").is_file():
        return [path]
    found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in ROW_SUFFIXES)
    if not found:
        raise CorpusError(f"{path}: no corpus file in it ({', '.join(sorted(ROW_SUFFIXES))})")
    return found


def read_rows(
    paths: Sequence[str], fields: Fields, lang: str | None = None, src_lang: str | None = None
) -> Iterator[Segment]:
    for name in paths:
        path = Path(name)
        if not path.exists():
            raise CorpusError(f"{name}: no such file or folder")
        if not path.is_dir() and not path.is_file():
            raise CorpusError(f"{name}: not a regular file or a folder (a pipe or a device)")
        for file in corpus_files(path):
            yield from segments_from_rows(_dataset_rows(file), fields, lang, src_lang, where=str(file))


def with_languages(segments: Iterable[Segment], sample: int = 200) -> Iterator[Segment]:
    """Segments whose language is not given get the corpus's, detected once from the first
    ``sample`` segments: detected one by one, an untranslated source sentence would count as a
    target in the source language, and nothing would say it was left untranslated."""
    import itertools

    from mtcheck.api import default_resources
    from mtcheck.langid import detect

    it = iter(segments)
    head = list(itertools.islice(it, sample))
    lang = src_lang = None
    if any(s.lang is None for s in head):
        lang = detect("\n".join(s.target for s in head), default_resources())
    if any(s.src_lang is None and s.source for s in head):
        src_lang = detect("\n".join(s.source or "" for s in head), default_resources())
    for seg in itertools.chain(head, it):
        if (seg.lang is None and lang) or (seg.src_lang is None and src_lang and seg.source):
            seg = replace(seg, lang=seg.lang or lang, src_lang=seg.src_lang or (src_lang if seg.source else None))
        yield seg


def _lines(path: str) -> list[str]:
    from mtcheck.textio import InputError, read

    try:
        text = read(path).text
    except InputError as e:
        raise CorpusError(str(e)) from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip("\r") for line in lines]


def read_aligned(
    systems: Sequence[str],
    source: str | None,
    references: Sequence[str] = (),
    lang: str | None = None,
    src_lang: str | None = None,
) -> Iterator[Segment]:
    """Plain-text files, one segment per line: each system file is named after its stem."""
    src = _lines(source) if source else None
    refs = [_lines(r) for r in references]
    names = [Path(s).stem for s in systems]
    if len(set(names)) != len(names):
        raise CorpusError("two system files have the same name: the file name (without extension) names the system")
    for name, path in zip(names, systems, strict=True):
        hyps = _lines(path)
        for other, label in [(src, source), *zip(refs, references, strict=True)]:
            if other is not None and len(other) != len(hyps):
                raise CorpusError(f"{path} has {len(hyps)} lines but {label} has {len(other)}: they must align")
        for i, hyp in enumerate(hyps):
            yield Segment(
                system=name,
                key=("", str(i)),
                source=src[i] if src else None,
                target=hyp,
                references=tuple(r[i] for r in refs),
                lang=lang,
                src_lang=src_lang,
            )


__all__ = [
    "ROW_SUFFIXES",
    "CorpusError",
    "Fields",
    "Segment",
    "corpus_files",
    "read_aligned",
    "read_rows",
    "segments_from_rows",
    "with_languages",
]
