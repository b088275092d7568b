"""Language-model scoring: registered, versioned scorers and what checks do with their scores.

Importing this package is cheap; torch and transformers load only when a model is (``load``).
"""

from mtcheck.lm.base import ModelUnavailable, Scorer, SentenceScores
from mtcheck.lm.registry import ModelSpec, default_model, load, register, registered, resolve

__all__ = [
    "ModelSpec",
    "ModelUnavailable",
    "Scorer",
    "SentenceScores",
    "default_model",
    "load",
    "register",
    "registered",
    "resolve",
]
