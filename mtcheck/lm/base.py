"""What a scorer gives: per-token surprisal, in bits, with each token's span in the text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from mtcheck.lm.registry import ModelSpec

# (done, total): called as batches finish, for a progress bar on long inputs.
Progress = Callable[[int, int], None]
# (character offset of a word's start in the text, another spelling of the word): the scorer
# reports the surprisal of that spelling's first token at the same place, at no extra cost.
Probe = tuple[int, str]


class ModelUnavailable(RuntimeError):
    """A model that cannot be loaded here; the message says what to install or pass."""


@dataclass(frozen=True)
class SentenceScores:
    text: str
    # Character span of each scored token in ``text`` (a leading space belongs to the token).
    offsets: tuple[tuple[int, int], ...]
    bits: tuple[float, ...]  # -log2 P(token | everything before it)
    # Probe index -> bits of the alternative's first token at the word's place.
    probes: dict[int, float] = field(default_factory=dict)
    # With a learned head (mtcheck.lm.heads): each token's probability of lying in an error,
    # and the index of its likeliest MQM category in the head's list; empty without one.
    risk: tuple[float, ...] = ()
    category: tuple[int, ...] = ()

    @property
    def total(self) -> float:
        return sum(self.bits)

    def span_bits(self, start: int, end: int) -> float:
        """Surprisal of the characters [start, end): the tokens whose last character lies there."""
        return sum(b for (s, e), b in zip(self.offsets, self.bits, strict=True) if e > s and start <= e - 1 < end)


class Scorer(Protocol):
    spec: ModelSpec

    def score(
        self,
        texts: Sequence[str],
        probes: Sequence[Sequence[Probe]] | None = None,
        progress: Progress | None = None,
    ) -> list[SentenceScores]:
        """Scores of each text, scored on its own (no context across texts)."""
        ...
