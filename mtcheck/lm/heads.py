"""Learned heads over a language model: how likely each token is to lie in a translation error.

A head is a linear layer over features the model computes anyway (its residual stream at a
middle and the last layer, the next token's last-layer state, surprisal and entropy), trained
on professional MQM error spans by ``bench/train_qe.py`` and shipped as a small JSON file in
``weights/`` beside this module, with its card (``weights/README.md``: data, licences, split, command, figures).

The features are built here, once, for both training (``TorchScorer.token_features``) and use
(``TorchScorer.score``), so a shipped head always sees what it was trained on.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HEAD_DIR = Path(__file__).parent / "weights"
SCALE = 10.0  # bits and entropies are divided by this: features of the order of the states'


@dataclass(frozen=True)
class SpanHead:
    """P(token inside an error span) = sigmoid(weight . features + bias)."""

    name: str
    version: str
    model: str  # the ModelSpec name whose states it reads
    layers: tuple[int, ...]  # 1-based layers whose residual stream it reads (the last one last)
    weight: tuple[float, ...]
    bias: float
    # Probability thresholds of the check (MT810), chosen on the training documents.
    thresholds: dict[str, float] = field(default_factory=dict)
    # MQM categories by index, and a linear layer from the same features to them (rows).
    categories: tuple[str, ...] = ()
    category_weight: tuple[tuple[float, ...], ...] = ()
    category_bias: tuple[float, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.name}@{self.version}"

    @classmethod
    def from_file(cls, path: Path) -> SpanHead:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            name=data["name"],
            version=str(data["version"]),
            model=data["model"],
            layers=tuple(int(x) for x in data["layers"]),
            weight=tuple(float(x) for x in data["weight"]),
            bias=float(data["bias"]),
            thresholds={k: float(v) for k, v in data.get("thresholds", {}).items()},
            categories=tuple(data.get("categories", ())),
            category_weight=tuple(tuple(float(x) for x in row) for row in data.get("category_weight", ())),
            category_bias=tuple(float(x) for x in data.get("category_bias", ())),
        )

    def to_dict(self, **extra: Any) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "model": self.model,
            "layers": list(self.layers),
            "bias": self.bias,
            "thresholds": self.thresholds,
            "categories": list(self.categories),
            "category_bias": list(self.category_bias),
            **extra,
            "weight": [round(x, 6) for x in self.weight],
            "category_weight": [[round(x, 6) for x in row] for row in self.category_weight],
        }


def head_for(model: str) -> SpanHead | None:
    """The shipped span head for a registered model, if one was trained for it."""
    path = HEAD_DIR / f"{model}-span.json"
    return SpanHead.from_file(path) if path.is_file() else None


def feature_size(hidden: int, layers: int) -> int:
    return hidden * (layers + 1) + 6


def token_features(torch: Any, ids: Any, logits: Any, norm: Any, kept: list[Any], lengths: list[int]) -> Any:
    """Features of every scored token: a (batch, length - 1, D) tensor whose row k describes
    the sequence's token k + 1 (the prefix token is never scored).

    ``ids`` (batch, length) are the padded sequences; ``logits`` (batch, length, vocabulary)
    and ``norm`` (their logsumexp) the forward pass's; ``kept`` the residual streams of the
    head's layers, the last layer's last. A
    causal model's state at a token has not seen what follows, and an error often shows in what
    follows (the next word is improbable after it), so the next token's state and surprisal
    are features too: zero past the end of each row.
    """
    batch, length, _ = logits.shape
    n = length - 1
    real_next = torch.zeros((batch, length), dtype=torch.bool)
    for r, ln in enumerate(lengths):
        real_next[r, : max(ln - 1, 0)] = True  # position i has a real successor
    states = [h / h.pow(2).mean(-1, keepdim=True).add(1e-6).sqrt() for h in kept]
    last = states[-1]
    has_next = real_next[:, 1:].unsqueeze(-1).float()  # token k+1 has a successor k+2
    nxt = torch.zeros_like(last[:, 1:])
    nxt[:, :-1] = last[:, 2:]
    nxt = nxt * has_next
    # Entropy (bits) of each position's next-token distribution, without a log-softmax copy.
    probs = torch.softmax(logits, dim=-1)
    entropy = (norm - (probs * logits).sum(-1)) / math.log(2)
    del probs
    own = logits[:, :-1].gather(-1, ids[:, 1:].unsqueeze(-1)).squeeze(-1) - norm[:, :-1]
    bits = -own / math.log(2)
    bits_next = torch.zeros_like(bits)
    bits_next[:, :-1] = bits[:, 1:]
    bits_next = bits_next * has_next.squeeze(-1)
    pos = torch.log1p(torch.arange(n, dtype=torch.float32)).expand(batch, n)
    scalars = torch.stack(
        (
            bits / SCALE,
            bits_next / SCALE,
            entropy[:, :-1] / SCALE,  # before the token: how open the choice was
            entropy[:, 1:] / SCALE,  # after it
            has_next.squeeze(-1),
            pos / 5.0,
        ),
        dim=-1,
    )
    return torch.cat([*(h[:, 1:] for h in states), nxt, scalars], dim=-1)


def risk(torch: Any, features: Any, head: SpanHead) -> Any:
    w = torch.tensor(head.weight, dtype=torch.float32)
    return torch.sigmoid(features @ w + head.bias)


def category_logits(torch: Any, features: Any, head: SpanHead) -> Any | None:
    if not head.categories:
        return None
    w = torch.tensor(head.category_weight, dtype=torch.float32)
    return features @ w.T + torch.tensor(head.category_bias, dtype=torch.float32)
