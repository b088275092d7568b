"""Source-aware error risk: a multilingual model reads the source, then the translation.

A model of the target alone cannot see a fluent mistranslation; one that has just read the
source can (a token the source does not support is less probable, and its states differ).
Gemma-3-270M reads ``{Source language}: {source}\\n{Target language}:\\n{translation}`` and
for every token of the translation gives its residual stream after a middle layer and after
the last, its surprisal and the entropy of the choice given the source and the translation so
far, the next token's, and its position. A linear head (``weights/gemma-3-270m-xspan.json``,
trained by ``bench/train_qe_source.py`` on professional MQM spans) maps them to a score. No
check uses it yet: on the sample trained so far no threshold was right often enough on the
tune documents (BENCHMARKS.md).

The features are built here for training and for use alike, so the shipped head always sees
what it was trained on.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtcheck import langs
from mtcheck.lm.base import ModelUnavailable

HEAD_DIR = Path(__file__).parent / "weights"
MODEL = "gemma-3-270m"
MIDDLE_LAYER = 9  # of 18
SOURCE_TOKENS = 384  # longer sources are cut (a paragraph of news is far shorter)
TARGET_TOKENS = 256  # longer translations are read in windows, each after the source
PAD_TO = 32  # sequences are padded to a multiple of this: few distinct shapes, flat memory
LOGIT_ROWS = 64  # vocabulary-sized rows (262k logits each) computed at a time
SCALE = 10.0  # bits and entropies are divided by this: features of the order of the states'
LN2 = math.log(2)


def _base(code: str | None) -> str:
    return (code or "").split("-")[0].split("_")[0].lower()


def language_name(code: str | None) -> str:
    """The name in the prompt: the model reads "German:" better than "de:". A code CLDR does
    not know is written as it is."""
    base = _base(code)
    return langs.name(base, base or "Text") if base else "Text"


def prompt(src_lang: str | None, source: str, lang: str | None) -> str:
    """What the model reads before the translation (the source on one line)."""
    flat = " ".join(source.split())
    return f"{language_name(src_lang)}: {flat}\n{language_name(lang)}:\n"


@dataclass(frozen=True)
class Pair:
    """A source passage and its translation (one sentence, a few, or a paragraph)."""

    source: str
    target: str
    src_lang: str | None
    lang: str | None


@dataclass(frozen=True)
class CrossHead:
    """score = sigmoid(weight . features + the target language's bias); thresholds by target
    language and severity (a language it was not measured on has none: the check stays silent)."""

    name: str
    version: str
    model: str
    weight: tuple[float, ...]
    bias: float
    thresholds: dict[str, dict[str, float]] = field(default_factory=dict)
    language_bias: dict[str, float] = field(default_factory=dict)

    def bias_for(self, lang: str | None) -> float:
        return self.language_bias.get(_base(lang), self.bias)

    def thresholds_for(self, lang: str | None) -> dict[str, float]:
        return self.thresholds.get(_base(lang), {})

    @property
    def key(self) -> str:
        return f"{self.name}@{self.version}"

    @classmethod
    def from_file(cls, path: Path) -> CrossHead:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            name=data["name"],
            version=str(data["version"]),
            model=data["model"],
            weight=tuple(float(x) for x in data["weight"]),
            bias=float(data["bias"]),
            thresholds={
                lang: {sev: float(v) for sev, v in by_sev.items()}
                for lang, by_sev in data.get("thresholds", {}).items()
            },
            language_bias={k: float(v) for k, v in data.get("language_bias", {}).items()},
        )


def shipped_head(model: str = MODEL) -> CrossHead | None:
    path = HEAD_DIR / f"{model}-xspan.json"
    return CrossHead.from_file(path) if path.is_file() else None


Features = tuple[list[tuple[int, int]], Any]  # token offsets into the target, (tokens, D) array


class CrossScorer:
    """Gemma-3-270M through transformers, reading each pair's source before its target."""

    def __init__(self, torch: Any, model: Any, encode: Callable[[str], tuple[list[int], list[tuple[int, int]]]]):
        self.torch = torch
        self.model = model
        self.encode = encode
        config = model.config
        self.softcap = getattr(config, "final_logit_softcapping", None)
        self.bos = int(config.bos_token_id if config.bos_token_id is not None else 2)
        self.pad = int(config.pad_token_id if config.pad_token_id is not None else 0)
        self._lock = threading.Lock()  # one forward pass at a time (see TorchScorer)

    @classmethod
    def load(cls) -> CrossScorer:
        from mtcheck.lm.registry import REGISTRY
        from mtcheck.lm.scorer import _imports, converted_dir

        torch, transformers = _imports()
        spec = REGISTRY.models.get(MODEL)
        if spec is None:
            raise ModelUnavailable(f"model {MODEL} is not registered")
        folder = converted_dir(spec)
        try:
            tok = transformers.AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
            model = transformers.AutoModelForCausalLM.from_pretrained(
                str(folder), dtype=torch.float32, local_files_only=True
            )
        except (OSError, ValueError) as e:
            raise ModelUnavailable(f"cannot load model {MODEL}: {e}") from None
        model.eval()

        def encode(text: str) -> tuple[list[int], list[tuple[int, int]]]:
            enc = tok(text, add_special_tokens=False, return_offsets_mapping=True)
            return list(enc["input_ids"]), [tuple(o) for o in enc["offset_mapping"]]

        return cls(torch, model, encode)

    def features(self, pairs: Sequence[Pair], progress: Callable[[int, int], None] | None = None) -> list[Features]:
        """Per pair: the target's token offsets and a float32 array of their features."""
        import numpy as np

        out: list[Features] = []
        for n, pair in enumerate(pairs):
            ids, offs = self.encode(pair.target)
            head = [self.bos, *self.encode(prompt(pair.src_lang, pair.source, pair.lang))[0][-SOURCE_TOKENS:]]
            parts = [self._window(head, ids[i : i + TARGET_TOKENS], i) for i in range(0, len(ids), TARGET_TOKENS)]
            width = 2 * self.model.config.hidden_size + 6
            out.append((offs, np.concatenate(parts) if parts else np.zeros((0, width), np.float32)))
            if progress:
                progress(n + 1, len(pairs))
        return out

    def _window(self, head: list[int], ids: list[int], first: int) -> Any:
        """Features of ``ids`` (target tokens from index ``first``) read after ``head``."""
        torch = self.torch
        seq = head + ids
        size = -(-len(seq) // PAD_TO) * PAD_TO
        # Right padding: causal attention keeps real tokens from seeing it.
        x = torch.full((1, size), self.pad, dtype=torch.long)
        x[0, : len(seq)] = torch.tensor(seq)
        with self._lock, torch.inference_mode():
            out = self.model.model(input_ids=x, output_hidden_states=True)
            start = len(head)
            n = len(ids)
            middle = out.hidden_states[MIDDLE_LAYER][0, start : start + n]
            last = out.last_hidden_state[0]
            # State before each target token predicts it; one more row gives the entropy after it.
            rows = last[start - 1 : start + n]
            bits, entropy = self._bits(rows, torch.tensor(ids))
            states = last[start : start + n]
        middle = middle / middle.pow(2).mean(-1, keepdim=True).add(1e-6).sqrt()
        has_next = torch.ones(n)  # the last token of a window has no successor in it
        if n:
            has_next[-1] = 0.0
        bits_next = torch.zeros(n)
        bits_next[:-1] = bits[1:]
        pos = torch.log1p(torch.arange(first, first + n, dtype=torch.float32))
        scalars = torch.stack(
            (bits / SCALE, bits_next / SCALE, entropy[:-1] / SCALE, entropy[1:] / SCALE, has_next, pos / 5.0), dim=-1
        )
        return torch.cat([middle, states, scalars], dim=-1).float().numpy()

    def _bits(self, rows: Any, ids: Any) -> tuple[Any, Any]:
        """Surprisal (bits) of ``ids`` from ``rows`` (one more row than ids) and the entropy of
        every row's next-token distribution, a few rows at a time: the vocabulary is 262k."""
        torch = self.torch
        bits, ent = [], []
        for i in range(0, rows.shape[0], LOGIT_ROWS):
            logits = self.model.lm_head(rows[i : i + LOGIT_ROWS]).float()
            if self.softcap:
                logits = torch.tanh(logits / self.softcap) * self.softcap
            norm = torch.logsumexp(logits, dim=-1)
            probs = torch.softmax(logits, dim=-1)
            ent.append((norm - (probs * logits).sum(-1)) / LN2)
            del probs
            want = ids[i : i + LOGIT_ROWS]
            k = want.shape[0]
            if k:
                bits.append((norm[:k] - logits[:k].gather(-1, want.unsqueeze(-1)).squeeze(-1)) / LN2)
        return (torch.cat(bits) if bits else torch.zeros(0)), torch.cat(ent)

    def risks(self, pairs: Sequence[Pair], head: CrossHead) -> list[tuple[list[tuple[int, int]], list[float]]]:
        import numpy as np

        w = np.asarray(head.weight, dtype=np.float32)
        out = []
        for pair, (offs, feats) in zip(pairs, self.features(pairs), strict=True):
            z = feats @ w + head.bias_for(pair.lang) if len(feats) else np.zeros(0, np.float32)
            out.append((offs, (1.0 / (1.0 + np.exp(-z))).tolist()))
        return out
