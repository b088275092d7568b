"""The learned span head (MT810) on the real default model: what it was trained on is what it
reads, its scores do not depend on batching, and its check reports what the head says."""

from __future__ import annotations

import math

import pytest

from mtcheck.api import check_document, default_resources
from mtcheck.config import Config
from mtcheck.lm import resolve
from mtcheck.lm.heads import HEAD_DIR, SpanHead, feature_size, head_for

CLEAN = "The minister said on Tuesday that the talks would resume next week."


@pytest.fixture(scope="module")
def scorer():
    return default_resources().scorer(resolve(None, "en"))


def test_shipped_head_matches_its_model() -> None:
    head = head_for("smollm2-135m")
    assert head is not None, f"no head in {HEAD_DIR}"
    assert len(head.weight) == feature_size(576, len(head.layers))
    assert head.layers[-1] == 30  # the last layer comes last: features put it there
    assert 0 < head.thresholds["minor"] < 1
    assert len(head.category_weight) == len(head.categories) == len(head.category_bias)
    assert head_for("no-such-model") is None


def test_head_round_trips(tmp_path) -> None:
    head = head_for("smollm2-135m")
    assert head is not None
    path = tmp_path / "h.json"
    import json

    path.write_text(json.dumps(head.to_dict()))
    again = SpanHead.from_file(path)
    assert again.key == head.key and again.layers == head.layers
    assert max(abs(a - b) for a, b in zip(again.weight, head.weight, strict=True)) < 1e-5


def test_scores_carry_risk_from_the_training_features(scorer) -> None:
    """``score`` gives each token sigmoid(w . features + b) of the features training reads."""
    text = "Prices rose sharply in carpet, the ministry said."
    (scores,) = scorer.score([text])
    ((offsets, feats),) = scorer.token_features([text], scorer.head.layers)
    assert list(scores.offsets) == offsets and len(scores.risk) == len(offsets)
    w, b = scorer.head.weight, scorer.head.bias
    for row, got in zip(feats, scores.risk, strict=True):
        z = sum(float(x) * wi for x, wi in zip(row, w, strict=True)) + b
        assert abs(1 / (1 + math.exp(-z)) - got) < 2e-2  # float16 features: close, not equal
    assert all(0 <= c < len(scorer.head.categories) for c in scores.category)


def test_features_do_not_depend_on_the_batch(scorer) -> None:
    short = "Officials denied the report."
    long = "The committee, which met for six hours behind closed doors, issued no statement afterwards."
    ((_, alone),) = scorer.token_features([short], scorer.head.layers)
    batched = scorer.token_features([long, short], scorer.head.layers)[1][1]
    assert alone.shape == batched.shape
    assert float(abs(alone.astype("float32") - batched.astype("float32")).max()) < 2e-2


def test_cache_key_names_the_head(scorer) -> None:
    assert scorer.key.endswith("+" + scorer.head.key)


def test_mt810_follows_the_heads_threshold(scorer) -> None:
    """Every word whose risk reaches the threshold is inside an MT810 finding, and no finding
    holds only words below it."""
    text = "Wang said the company would use the funds to do big and do strong the industry.\n\n" + CLEAN + "\n"
    result = check_document(text, "en", config=Config(lm=True, select=("MT810",), calibrated=False))
    lm = default_resources()  # the words' risks, as the check saw them
    from mtcheck.document import parse
    from mtcheck.lm.analysis import analyse

    analysis = analyse(parse(text, "en"), scorer, lm, None)
    t = scorer.head.thresholds["minor"]
    risky = [w for s in analysis.sentences for w in s.words if w.risk >= t]
    spans = [(f.start, f.end) for f in result.findings]
    for w in risky:
        assert any(a <= w.start and w.end <= b for a, b in spans), w
    for a, b in spans:
        assert any(a <= w.start and w.end <= b for w in risky)
    assert spans and all(b <= text.index(CLEAN) for _, b in spans)  # the literal phrase, not the clean one
    for f in result.findings:
        assert f.code == "MT810" and f.fix is None
        assert f.category in (scorer.head.categories or ("Accuracy/Mistranslation",))


def test_error_load_is_the_sum_of_the_heads_risks(scorer) -> None:
    text = "Wang said the company would use the funds to do big and do strong the industry. " + CLEAN
    result = check_document(text, "en", config=Config(lm=True))
    load = result.error_load()
    assert load is not None and load > 0
    assert abs(load - sum(sum(s.scores.risk) for s in result.lm.sentences)) < 1e-3
    clean = check_document(CLEAN, "en", config=Config(lm=True)).error_load()
    assert clean is not None and clean < load  # a shorter, cleaner text carries less
    assert check_document(text, "en", config=Config(lm=False)).error_load() is None


def test_eval_ranks_systems_by_error_load(tmp_path) -> None:
    """`mtcheck eval` with the model: every system gets the head's mean error load per segment
    (mtcheck_qe), ranked lower-is-better, and the reports carry it; without the model, a note."""
    from mtcheck.eval.corpus import Segment
    from mtcheck.eval.report import to_csv, to_table
    from mtcheck.eval.vendors import FindingCache, evaluate

    good = [
        "The company will use the funds to expand its business.",
        "The minister said the talks would resume next week.",
    ]
    bad = [
        "Wang said the company would use the funds to do big and do strong the industry.",
        "The minister said the talks would resume the next week of the week.",
    ]
    segs = [
        Segment(name, ("d", str(i)), None, text, (), "en")
        for name, texts in (("good", good), ("bad", bad))
        for i, text in enumerate(texts)
    ]
    cache = FindingCache(tmp_path / "f.sqlite")
    ev = evaluate(segs, Config(lm=True), n_samples=50, cache=cache)
    rows = {r["system"]: r for r in ev.systems}
    assert rows["good"]["mtcheck_qe"] < rows["bad"]["mtcheck_qe"]
    assert rows["good"]["rank"]["mtcheck_qe"] == 1
    assert "error load" in to_table(ev) and "mtcheck_qe_rank" in to_csv(ev)
    again = evaluate(segs, Config(lm=True), n_samples=50, cache=cache)  # from the cache: the same
    assert [r["mtcheck_qe"] for r in again.systems] == [r["mtcheck_qe"] for r in ev.systems]
    plain = evaluate(segs, Config(lm=False), n_samples=50)
    assert all(r["mtcheck_qe"] is None for r in plain.systems)
    assert any("mtcheck_qe" in n for n in plain.notes)


def test_service_and_json_carry_the_error_load() -> None:
    from mtcheck.report import sentence_dicts
    from mtcheck.server import ServerSettings, check_response

    text = "Wang said the company would use the funds to do big and do strong the industry. " + CLEAN
    res = check_document(text, "en", config=Config(lm=True))
    body = check_response(ServerSettings(), text, res)
    assert body["error_load"] == res.error_load() and body["error_load"] > 0
    sents = sentence_dicts(res)
    assert len(sents) == 2 and sents[0]["error_load"] > sents[1]["error_load"]
    assert abs(sum(s["error_load"] for s in sents) - body["error_load"]) < 0.01
    plain = check_document(text, "en", config=Config(lm=False))
    assert check_response(ServerSettings(), text, plain)["error_load"] is None


def test_html_report_shows_the_error_load_beside_the_verdict() -> None:
    from mtcheck.report import FileResult
    from mtcheck.report.html import to_html

    text = "Wang said the company would use the funds to do big and do strong the industry. " + CLEAN
    page = to_html([FileResult.of("a.txt", text, check_document(text, "en", config=Config(lm=True)))])
    assert "error load" in page and "does not decide the verdict" in page
    plain = to_html([FileResult.of("a.txt", text, check_document(text, "en", config=Config(lm=False)))])
    assert "error load" not in plain
