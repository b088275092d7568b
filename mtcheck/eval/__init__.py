"""Evaluation helpers: scoring findings against gold annotations (corpora, benchmarks, tests)."""
