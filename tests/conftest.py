from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

# Tests never reach a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def seed() -> tuple[str, dict]:
    import json

    gold_path = SHARED / "seed" / "kursk.gold.json"
    if not gold_path.is_file():
        pytest.skip(f"{gold_path} is not here (the project's shared folder sits beside the repo)")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = (gold_path.parent / gold["file"]).read_text(encoding="utf-8")
    return text, gold
