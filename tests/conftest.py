from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_server(*options: str) -> Iterator[str]:
    """`mtcheck serve --no-lm OPTIONS` started for real on a free loopback port; its base URL."""
    pytest.importorskip("fastapi")
    pytest.importorskip("uvicorn")
    port = _free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    cmd = [sys.executable, "-m", "mtcheck.cli", "serve", "--port", str(port), "--no-lm", *options]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None:
                    pytest.fail(f"the server exited with status {proc.returncode}")
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The service (rules only, 1 MB request limit) shared by the tests that call it."""
    with running_server("--max-bytes", "1000000") as url:
        yield url
