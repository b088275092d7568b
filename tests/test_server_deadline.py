"""A check that runs past ``--timeout`` is stopped, not merely abandoned: its thread raises at its
next bytecode (``server.Interruptible``), the client gets 503 at about the deadline, and the
thread serves the next request. And an exception no handler takes is a 500 in the error shape,
logged once."""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import random
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

import uvicorn
from conftest import _free_port

from mtcheck import server
from mtcheck.api import CheckTimeout
from mtcheck.config import Config
from mtcheck.lm.base import SentenceScores
from mtcheck.lm.cache import ScoreCache

TIMEOUT_S = 1.0
TEXT = "They met in kyiv . Prices rose."


def _spin(seconds: float = 3600.0) -> int:
    """Pure Python that never looks at a deadline: what a slow rule looks like to the server."""
    n, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        n += 1
    return n


# The guard, alone.


def _in_thread(job: server.Interruptible) -> tuple[threading.Thread, list[object]]:
    out: list[object] = []

    def run() -> None:
        try:
            out.append(job())
        except BaseException as e:  # the test looks at which exception it was
            out.append(e)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


def test_interrupt_stops_a_pure_python_loop() -> None:
    job = server.Interruptible(_spin)
    thread, out = _in_thread(job)
    time.sleep(0.2)
    job.interrupt()
    thread.join(30)
    assert not thread.is_alive() and len(out) == 1 and isinstance(out[0], CheckTimeout)


def test_a_job_stopped_before_it_starts_does_nothing() -> None:
    ran: list[bool] = []
    job = server.Interruptible(lambda: ran.append(True))
    job.interrupt()
    with pytest.raises(CheckTimeout):
        job()
    assert ran == []


def test_an_interrupt_never_lands_after_the_job() -> None:
    """Jobs end at random moments around their interrupt, in one thread that goes on running
    Python after each, as a pool's thread does: no exception may reach it outside a job."""
    jobs: queue.Queue[server.Interruptible | None] = queue.Queue()
    stray: list[BaseException] = []
    ended = threading.Semaphore(0)

    def worker() -> None:
        while (job := jobs.get()) is not None:
            with contextlib.suppress(CheckTimeout):
                job()
            try:
                _spin(0.002)  # the thread's next work, right after the job
            except BaseException as e:  # what must never happen
                stray.append(e)
            ended.release()

    thread = threading.Thread(target=worker)
    thread.start()
    rng = random.Random(12)
    try:
        for _ in range(300):
            job = server.Interruptible(lambda s=rng.uniform(0, 0.002): _spin(s))
            jobs.put(job)
            time.sleep(rng.uniform(0, 0.003))
            job.interrupt()
            assert ended.acquire(timeout=30)
    finally:
        jobs.put(None)
        thread.join(30)
    assert stray == []


def test_a_stopped_job_leaves_the_score_cache_and_a_lock_usable(tmp_path: Path) -> None:
    cache = ScoreCache(tmp_path / "scores.sqlite", max_rows=50)
    model_lock = threading.Lock()  # the scorer's lock, taken around each batch
    scores = SentenceScores("a text", ((0, 1), (1, 6)), (1.0, 2.0))

    def busy() -> None:
        i = 0
        while True:
            i += 1
            with model_lock:
                cache.put_many({f"k{i}-{j}": scores for j in range(20)})
            cache.get_many([f"k{i}-{j}" for j in range(20)])

    for _ in range(5):
        job = server.Interruptible(busy)
        thread, out = _in_thread(job)
        time.sleep(0.1 + random.random() * 0.1)
        job.interrupt()
        thread.join(30)
        assert isinstance(out[0], CheckTimeout)
    assert model_lock.acquire(timeout=1)
    model_lock.release()
    assert not cache._db.in_transaction  # rolled back, not left open
    cache.put_many({"after": scores})
    assert cache.get_many(["after"]) == {"after": scores}
    assert cache.count() <= 50
    with contextlib.closing(sqlite3.connect(tmp_path / "scores.sqlite")) as other:  # and from outside
        assert other.execute("SELECT COUNT(*) FROM scores").fetchone()[0] <= 50


# In a server: uvicorn in a thread of this process, so that a check can be made slow.


@contextlib.contextmanager
def _serving(settings: server.ServerSettings) -> Iterator[str]:
    port = _free_port()
    app = server.create_app(settings)
    # log_config=None: uvicorn's records reach pytest's handlers (its own config stops them).
    options = server.uvicorn_options(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, **options)
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    try:
        for _ in range(600):
            if running.started:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(30)


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    # One thread: the request after a stopped check can only be answered once its thread is free.
    with _serving(server.ServerSettings(config=Config(lm=False), timeout_s=TIMEOUT_S, threads=1)) as u:
        yield u


def _post(url: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any], Message]:
    req = urllib.request.Request(url, json.dumps(payload).encode(), {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, json.loads(r.read()), r.headers
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read()), e.headers


@pytest.fixture
def slow_on_spin(monkeypatch: pytest.MonkeyPatch) -> None:
    """A check of a text with "spin" in it runs forever without looking at its deadline."""
    real = server._check

    def check(settings: server.ServerSettings, req: Any, deadline: float | None = None) -> Any:
        if "spin" in req.text.lower():  # /v1/fix checks its fixed text, "Spin."
            _spin()
        return real(settings, req, deadline)

    monkeypatch.setattr(server, "_check", check)


@pytest.mark.usefixtures("slow_on_spin")
@pytest.mark.parametrize("path", ["/v1/check", "/v1/render", "/v1/fix"])
def test_a_check_past_its_deadline_is_stopped_and_its_thread_freed(url: str, path: str) -> None:
    started = time.monotonic()
    status, body, headers = _post(url + path, {"text": "spin", "lang": "en"})
    took = time.monotonic() - started
    assert status == 503 and headers.get("Retry-After") == "30" and body == {"error": "the check took longer than 1 s"}
    assert took < 30  # about TIMEOUT_S; never waiting for the check (which would run for an hour)
    started = time.monotonic()
    status, body, _ = _post(url + "/v1/check", {"text": TEXT, "lang": "en"})
    assert status == 200 and body["verdict"] == "block"
    assert time.monotonic() - started < 30  # the one thread was free again, not spinning


@pytest.mark.usefixtures("slow_on_spin")
def test_checks_queued_behind_a_stopped_one_are_answered_at_their_deadline(url: str) -> None:
    """Three slow checks at once, one thread: the running one is stopped at its deadline, and the
    two waiting for the thread, whose deadlines passed as they waited, end as soon as they start."""
    results: list[int] = []
    slow = [
        threading.Thread(target=lambda: results.append(_post(url + "/v1/check", {"text": "spin"})[0])) for _ in range(3)
    ]
    started = time.monotonic()
    for t in slow:
        t.start()
    for t in slow:
        t.join(120)
    assert results == [503, 503, 503] and time.monotonic() - started < 30
    assert _post(url + "/v1/check", {"text": TEXT, "lang": "en"})[0] == 200


def test_an_unexpected_exception_is_a_500_in_the_error_shape_logged_once(
    url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("a bug in a rule")

    monkeypatch.setattr(server, "_check", broken)
    with caplog.at_level(logging.ERROR):
        status, body, headers = _post(url + "/v1/check", {"text": TEXT})
    assert status == 500 and set(body) == {"error"} and "internal error" in body["error"]
    assert "a bug in a rule" not in body["error"]  # the details are for the log, not the client
    assert headers.get("Content-Type") == "application/json"
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(logged) == 1 and logged[0].exc_info is not None
    assert "a bug in a rule" in str(logged[0].exc_info[1])
