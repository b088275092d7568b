"""`mtcheck eval`: corpus formats, metrics, significance (against sacreBLEU's own paired
bootstrap), the MQM-style penalty, the per-segment cache and the outputs."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

sacrebleu = pytest.importorskip("sacrebleu")
pytest.importorskip("datasets")

from mtcheck.config import Config  # noqa: E402
from mtcheck.eval import significance as sig  # noqa: E402
from mtcheck.eval.corpus import CorpusError, Fields, read_aligned, read_rows  # noqa: E402
from mtcheck.eval.vendors import FindingCache, evaluate, finding_weight, penalty  # noqa: E402

SOURCES = [f"Phrase source numéro {i} sur la politique." for i in range(16)]
REFS = [
    "The minister met reporters in Paris on Monday.",
    "Prices rose by 3% in October, the office said.",
    "The talks will resume in Geneva next week.",
    "Officials in Berlin denied the report on Tuesday.",
    "The team won its third match in a row.",
    "Heavy rain is expected in the north on Friday.",
    "The museum will reopen to the public in May.",
    "Unions called a strike for next Thursday.",
    "The bank kept its main rate at 4% for now.",
    "Voters in Lyon went to the polls on Sunday.",
    "The company plans to hire 2,000 people this year.",
    "The president spoke with his Italian counterpart.",
    "Firefighters fought the blaze for six hours.",
    "The festival drew more than 10,000 visitors.",
    "The court will rule on the case in June.",
    "Exports fell sharply in the third quarter.",
]


def _good(r: str) -> str:
    return r.replace("on Monday", "on Monday morning").replace("the office said", "officials said")


def _bad(r: str, i: int) -> str:
    out = r.replace(".", " .") if i % 2 else r
    out = out.replace("Paris", "paris").replace("Berlin", "berlin").replace("Geneva", "geneva")
    return out.replace("10,000", "10 000").replace("2,000", "2 000")


def _worse(r: str, i: int) -> str:
    if i % 5 == 0:
        return "Le gouvernement a annoncé une nouvelle loi sur l'immigration mardi soir."
    return _bad(r, i).replace("The ", "the the ", 1) if i % 3 == 0 else _bad(r, i + 1)


def _records() -> list[dict[str, Any]]:
    out = []
    for name, make in (("alpha", lambda r, i: _good(r)), ("beta", _bad), ("gamma", _worse)):
        for i, (src, ref) in enumerate(zip(SOURCES, REFS, strict=True)):
            out.append(
                {
                    "doc_id": f"d{i // 8}",
                    "seg_id": i + 1,
                    "system": name,
                    "source": src,
                    "target": make(ref, i),
                    "reference": ref,
                    "lp": "fr-en",
                }
            )
    return out


CONFIG = Config(lm=False)


def _eval(segments: Any, **kw: Any) -> Any:
    return evaluate(segments, CONFIG, jobs=1, n_samples=200, cache=FindingCache(None), **kw)


def _summary(ev: Any) -> list[tuple[Any, ...]]:
    return [
        (s["system"], s["segments"], s["bleu"], s["chrf"], s["ter"], s["mtcheck_penalty"], s["findings"])
        for s in ev.systems
    ]


def test_penalty_weights() -> None:
    assert finding_weight("Fluency/Spelling", "major") == 5
    assert finding_weight("Fluency/Grammar", "minor") == 1
    assert finding_weight("Fluency/Punctuation", "minor") == 0.1
    assert finding_weight("Fluency/Punctuation", "major") == 5
    assert finding_weight("Accuracy/Untranslated", "major") == 25
    assert finding_weight("Accuracy/Mistranslation", "critical") == 10
    found = [
        {"category": "Fluency/Punctuation", "severity": "minor"},
        {"category": "Style/Awkward", "severity": "major"},
    ]
    assert penalty(found) == pytest.approx(5.1)
    assert penalty([]) == 0


def test_significance_agrees_with_sacrebleu() -> None:
    """The generic paired bootstrap gives sacreBLEU's PairedTest numbers (same data, same seed)."""
    from sacrebleu.metrics import BLEU, CHRF, TER
    from sacrebleu.significance import PairedTest

    recs = _records()
    systems = {n: [r["target"] for r in recs if r["system"] == n] for n in ("alpha", "beta", "gamma")}
    refs = [REFS]
    test = PairedTest(
        list(systems.items()),
        {"BLEU": BLEU(references=refs), "chrF": CHRF(references=refs), "TER": TER(references=refs)},
        references=None,
        test_type="bs",
        n_samples=300,
    )
    _, theirs = test()
    ev = evaluate((s for s in read_rows_from(recs)), CONFIG, n_samples=300, seed=12345, cache=FindingCache(None))
    ours = {s["system"]: s for s in ev.systems}
    names = {"bleu": "BLEU", "chrf": next(k for k in theirs if k.startswith("chrF")), "ter": "TER"}
    for name, metric in names.items():
        for i, system in enumerate(theirs["System"]):
            result = theirs[metric][i]
            mine = ours[system]
            assert mine[name] == pytest.approx(result.score, abs=1e-4)
            assert mine["bootstrap"][name]["mean"] == pytest.approx(result.mean, abs=1e-4)
            assert mine["bootstrap"][name]["ci"] == pytest.approx(result.ci, abs=1e-4)
            if i:
                assert mine["bootstrap"][name]["p_value"] == pytest.approx(result.p_value)
            else:
                assert mine["bootstrap"][name]["p_value"] is None


def read_rows_from(recs: list[dict[str, Any]]) -> Any:
    from mtcheck.eval.corpus import segments_from_rows

    return segments_from_rows(recs, Fields())


def test_penalty_test_is_a_paired_bootstrap_of_the_mean() -> None:
    rng = np.random.default_rng(0)
    a = rng.poisson(1.0, 200).astype(float)
    b = a + rng.poisson(0.5, 200)
    idxs = sig.resample_indices(200, 500, 12345)
    cmp = sig.paired_test(sig.mean_stats(list(a)), sig.mean_stats(list(b)), sig.mean, idxs)
    assert cmp.interval.score == pytest.approx(b.mean())
    assert cmp.p_value < 0.01  # b adds errors to every other segment
    # As many segments one error better as one worse: the same mean, no real difference.
    close = a.copy()
    some = np.flatnonzero(a >= 1)[:20]
    close[some[:10]] += 1
    close[some[10:]] -= 1
    assert sig.paired_test(sig.mean_stats(list(a)), sig.mean_stats(list(close)), sig.mean, idxs).p_value > 0.3


def _write_formats(tmp_path: Path) -> dict[str, Path]:
    import datasets

    recs = _records()
    out: dict[str, Path] = {}
    jl = tmp_path / "c.jsonl"
    jl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    out["jsonl"] = jl
    for name, delim in (("csv", ","), ("tsv", "\t")):
        p = tmp_path / f"c.{name}"
        with p.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(recs[0]), delimiter=delim)
            w.writeheader()
            w.writerows(recs)
        out[name] = p
    ds = datasets.Dataset.from_list(recs)
    ds.to_parquet(str(tmp_path / "c.parquet"))
    out["parquet"] = tmp_path / "c.parquet"
    ds.save_to_disk(str(tmp_path / "saved"))
    out["saved"] = tmp_path / "saved"
    return out


def test_every_format_gives_the_same_evaluation(tmp_path: Path) -> None:
    files = _write_formats(tmp_path)
    results = {name: _summary(_eval(read_rows([str(p)], Fields()))) for name, p in files.items()}
    # The aligned-text layout of the same corpus.
    text = tmp_path / "text"
    text.mkdir()
    (text / "source.fr").write_text("\n".join(SOURCES) + "\n", encoding="utf-8")
    (text / "ref.en").write_text("\n".join(REFS) + "\n", encoding="utf-8")
    recs = _records()
    for name in ("alpha", "beta", "gamma"):
        lines = [r["target"] for r in recs if r["system"] == name]
        (text / f"{name}.en").write_text("\n".join(lines) + "\n", encoding="utf-8")
    aligned = read_aligned(
        [str(text / f"{n}.en") for n in ("alpha", "beta", "gamma")],
        str(text / "source.fr"),
        [str(text / "ref.en")],
        "en",
        "fr",
    )
    results["text"] = _summary(_eval(aligned))
    first = results["jsonl"]
    assert [r[0] for r in first] == ["alpha", "beta", "gamma"]
    for name, got in results.items():
        assert got == first, name
    # Better translations score better on every metric, the reference-free penalty included.
    alpha, beta, gamma = first
    assert alpha[2] > beta[2] > gamma[2]  # BLEU
    assert alpha[5] < beta[5] < gamma[5]  # penalty


def test_no_references_gives_mtcheck_scores_only() -> None:
    # The fixture's sources are placeholders, not what the targets translate: left out too,
    # or the source-aware checks (rightly) find every number missing.
    recs = [{k: v for k, v in r.items() if k not in ("reference", "source")} for r in _records()]
    ev = _eval(read_rows_from(recs))
    assert all(s["bleu"] is None and s["chrf"] is None and s["ter"] is None for s in ev.systems)
    assert [s["mtcheck_penalty"] > 0 for s in ev.systems] == [False, True, True]
    assert "bleu" not in ev.signatures and "mtcheck" in ev.signatures
    assert any("no reference" in n for n in ev.notes)


def test_several_references() -> None:
    recs = _records()
    for r in recs:
        r["reference"] = [r["reference"], r["reference"].replace("The ", "A ")]
    ev = _eval(read_rows_from(recs))
    assert ev.signatures["bleu"].startswith("nrefs:2|")


def test_cache_checks_only_a_new_system(tmp_path: Path) -> None:
    cache = FindingCache(tmp_path / "f.sqlite")
    recs = _records()
    two = [r for r in recs if r["system"] != "gamma"]
    first = evaluate(read_rows_from(two), CONFIG, n_samples=50, cache=cache)
    assert [s["cached_segments"] for s in first.systems] == [0, 0]
    again = evaluate(read_rows_from(recs), CONFIG, n_samples=50, cache=cache)
    # gamma is checked, except where its text is one the others already had (same text, same findings)
    seen = {r["target"] for r in two}
    repeated = sum(r["target"] in seen for r in recs if r["system"] == "gamma")
    assert 0 < repeated < 16
    assert [s["cached_segments"] for s in again.systems] == [16, 16, repeated]
    assert _summary(again)[:2] == _summary(first)


def test_errors_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no field 'target'"):
        list(read_rows_from([{"system": "a", "text": "x"}]))
    with pytest.raises(CorpusError, match="no system 'zeta'"):
        _eval(read_rows_from(_records()), baseline="zeta")
    bad = tmp_path / "a.en"
    bad.write_text("one\ntwo\n")
    src = tmp_path / "s.fr"
    src.write_text("un\n")
    with pytest.raises(CorpusError, match="must align"):
        list(read_aligned([str(bad)], str(src)))


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mtcheck.cli", "eval", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
    )


def test_cli_json_and_csv_carry_every_system_and_signature(tmp_path: Path) -> None:
    files = _write_formats(tmp_path)
    run = _cli(str(files["jsonl"]), "--no-lm", "--samples", "100", "-j", "1", "-f", "json", "--baseline", "beta")
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["baseline"] == "beta" and set(doc["signatures"]) == {"bleu", "chrf", "ter", "mtcheck"}
    systems = {s["system"]: s for s in doc["systems"]}
    assert set(systems) == {"alpha", "beta", "gamma"}
    for s in systems.values():
        for key in ("system", "segments", "bleu", "chrf", "ter", "mtcheck_penalty", "findings_per_1k_words"):
            assert key in s
    assert systems["beta"]["bootstrap"]["bleu"]["p_value"] is None
    assert 0 < systems["alpha"]["bootstrap"]["bleu"]["p_value"] <= 1
    run = _cli(str(files["jsonl"]), "--no-lm", "--samples", "100", "-j", "1", "-f", "csv")
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [r["system"] for r in rows] == ["alpha", "beta", "gamma"]
    for r in rows:
        assert r["bleu_signature"].startswith("nrefs:1|") and r["mtcheck_signature"].startswith("mtcheck:")
    table = _cli(str(files["jsonl"]), "--no-lm", "--samples", "100", "-j", "1")
    assert table.returncode == 0 and "alpha (baseline)" in table.stdout and "BLEU: nrefs:1" in table.stdout


def test_cli_errors_are_exit_2(tmp_path: Path) -> None:
    missing = _cli(str(tmp_path / "nope.jsonl"), "--no-lm")
    assert missing.returncode == 2 and "no such file" in missing.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"system": "a", "text": "x"}) + "\n")
    wrong = _cli(str(bad), "--no-lm")
    assert wrong.returncode == 2 and "--target-field" in wrong.stderr and "Traceback" not in wrong.stderr


def test_html_report_in_the_browser(browser: Any, tmp_path: Path) -> None:
    """The report opens in headless Chromium; its charts have a row per system; the worst
    segments' highlights cover exactly their findings' words."""
    from selenium.webdriver.common.by import By

    from mtcheck.eval.html import to_html

    ev = _eval(read_rows_from(_records()))
    page = tmp_path / "eval.html"
    page.write_text(to_html(ev, "demo"), encoding="utf-8")
    browser.get(page.as_uri())
    assert browser.title == "demo"
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert {c.get_attribute("data-metric") or c.get_attribute("data-chart") for c in charts} == {
        "bleu",
        "chrf",
        "ter",
        "mtcheck_penalty",
        "categories",
    }
    for chart in charts:
        assert chart.is_displayed() and chart.size["width"] > 100
        rows = chart.find_elements(By.CSS_SELECTOR, "g.row")
        assert [r.get_attribute("data-system") for r in rows] == ["alpha", "beta", "gamma"]
    # A dot per system, inside its interval's whisker.
    for row in browser.find_elements(By.CSS_SELECTOR, 'svg[data-metric="bleu"] g.row'):
        line = row.find_element(By.TAG_NAME, "line")
        dot = float(row.find_element(By.TAG_NAME, "circle").get_attribute("cx"))
        assert float(line.get_attribute("x1")) - 5 <= dot <= float(line.get_attribute("x2")) + 5
    segs = browser.find_elements(By.CSS_SELECTOR, '.seg[data-system="gamma"]')
    assert segs and len(segs) <= 5
    worst = ev.worst["gamma"]
    for seg, item in zip(segs, worst, strict=True):
        marks = seg.find_elements(By.TAG_NAME, "mark")
        for i, f in enumerate(item["findings"]):
            if f["end"] > f["start"]:
                got = "".join(m.text for m in marks if str(i) in (m.get_attribute("data-ids") or "").split())
                assert got == item["target"][f["start"] : f["end"]].strip() or got == f["text"]
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_check_documents_gives_check_documents_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batched (the model scores all texts' sentences together) = one by one, model included;
    no score cache, so both really score."""
    from mtcheck.api import Text, check_document, check_documents
    from mtcheck.lm.cache import ScoreCache
    from mtcheck.resources import Resources

    monkeypatch.setattr(ScoreCache, "open", classmethod(lambda cls, folder: None))
    resources = Resources()

    texts = [
        Text("They met in kyiv on Monday .", "en"),
        Text("The treaty between two of Washington's beasts provides for mutual aid.", "en"),
        Text("Prices rose by 3% in October, the office said. Officials in berlin denied it.", "en"),
        Text("Le gouvernement a annoncé une nouvelle loi mardi soir.", "fr"),
        Text("", "en"),
        Text("The museum will reopen to the public in May.", None, "Le musée rouvrira en mai.", None),
    ]
    config = Config()  # with the language model where one is installed
    one = [check_document(t.text, t.lang, t.source, t.src_lang, config, resources=resources) for t in texts]
    many = check_documents(texts, config, resources)
    assert [r.findings for r in many] == [r.findings for r in one]
    assert [(r.lang, r.src_lang, r.notes) for r in many] == [(r.lang, r.src_lang, r.notes) for r in one]
    for a, b in zip(many, one, strict=True):
        assert [x[:2] for x in a.fluency()] == [x[:2] for x in b.fluency()]
        assert [v for x in a.fluency() for v in x[2:]] == pytest.approx(
            [v for x in b.fluency() for v in x[2:]], abs=1e-2
        )
    if any(r.lm for r in one):  # the model ran: "beasts" is its finding, in both
        assert "MT801" in {f.code for f in many[1].findings}


def test_dask_engine_gives_the_local_results() -> None:
    """The same corpus checked on a local Dask cluster (2 worker processes, started and stopped
    here) and in this process: identical evaluations."""
    pytest.importorskip("distributed")
    from mtcheck.eval.engines import make_engine

    local = _eval(read_rows_from(_records()))
    engine = make_engine("dask", 2)
    try:
        assert engine.slots == 2
        distributed = evaluate(
            read_rows_from(_records()), CONFIG, n_samples=200, cache=FindingCache(None), engine=engine
        )
    finally:
        engine.close()
    assert _summary(distributed) == _summary(local)
    assert distributed.systems == local.systems
