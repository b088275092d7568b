"""Whether a registered model can run here, without loading it (for `mtcheck models`)."""

from __future__ import annotations

import importlib.util

from mtcheck.lm.base import ModelUnavailable
from mtcheck.lm.registry import ModelSpec


def installed(spec: ModelSpec) -> tuple[bool, str]:
    """(ready, where the weights are or what to install)."""
    missing = [m for m in ("torch", "safetensors", "tokenizers") if importlib.util.find_spec(m) is None]
    if missing:
        return False, f"needs {', '.join(missing)}: pip install torch==2.13.0 && pip install 'mtcheck[lm]'"
    if not spec.gguf:
        return True, spec.location or ""
    from mtcheck.lm.scorer import gguf_path

    try:
        first = gguf_path(spec, assemble=False)
        return True, f"{len(spec.parts)} chunk packages, the first at {first}" if spec.parts else str(first)
    except ModelUnavailable as e:
        return False, str(e)
