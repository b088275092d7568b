"""Where `mtcheck eval` checks its segments: this process, a pool of local processes, or a Dask
cluster (``--engine dask``, a local one or an existing one by ``--address``).

Every engine maps ``check_segments`` over groups of segments and yields the results in the
order of the groups, so results are the same whichever engine ran them (tested). Dask was
chosen over Ray by measurement (BENCHMARKS.md): a fifth of the install, a quarter of the idle
memory, a faster start, and nothing that calls home; with groups of segments its higher cost
per task does not matter.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from mtcheck.config import Config
from mtcheck.eval.corpus import CorpusError, Segment

Findings = list[dict[str, Any]]  # per segment of a group, what checking it gave (vendors.Checked)


class Engine(Protocol):
    slots: int  # groups that can run at once: how many to submit ahead

    def map(self, groups: Sequence[list[Segment]], config: Config) -> Iterator[Findings]: ...

    def close(self) -> None: ...


def check_group(segs: list[Segment], config: Config) -> Findings:
    """A group of segments, checked together (the model scores their sentences in one batch)."""
    from mtcheck.eval.vendors import check_segments

    return check_segments(segs, config)


class InProcess:
    slots = 1

    def map(self, groups: Sequence[list[Segment]], config: Config) -> Iterator[Findings]:
        return (check_group(g, config) for g in groups)

    def close(self) -> None:
        pass


# A pool worker's configuration, set once by the pool's initializer (each process has its own).
_WORKER_CONFIG: list[Config] = []


def _init_worker(config: Config) -> None:
    _WORKER_CONFIG[:] = [config]
    # The workers share the cores: one torch thread each, else they spin-wait on each other.
    os.environ.setdefault("OMP_NUM_THREADS", "1")


def _pool_task(segs: list[Segment]) -> Findings:
    return check_group(segs, _WORKER_CONFIG[0])


class Processes:
    """``jobs`` local processes, started on first use (a fully cached corpus starts none)."""

    def __init__(self, jobs: int) -> None:
        self.slots = jobs
        self._pool: Any = None
        self._config: Config | None = None

    def map(self, groups: Sequence[list[Segment]], config: Config) -> Iterator[Findings]:
        if self._pool is None or self._config != config:
            self.close()
            # forkserver: workers start from a clean interpreter, not a fork of one that may
            # hold torch threads or a SQLite connection.
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
            self._pool = ctx.Pool(self.slots, initializer=_init_worker, initargs=(config,))
            self._config = config
        return iter(self._pool.imap(_pool_task, groups))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None


class Dask:
    """A Dask cluster: an existing one (``address``, e.g. tcp://head:8786) or a local one with
    ``workers`` single-threaded worker processes. Workers import mtcheck from their own
    environment, which must have it (and torch and the model, for the model's checks)."""

    def __init__(self, address: str | None, workers: int) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise CorpusError("--engine dask needs Dask: pip install 'mtcheck[dask]'") from None
        self._cluster: Any = None
        try:
            if address:
                self._client = Client(address, timeout="30s")
            else:
                self._cluster = LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
                )
                self._client = Client(self._cluster)
        except (OSError, TimeoutError) as e:
            raise CorpusError(f"cannot reach the Dask scheduler at {address}: {e}") from None
        info = self._client.scheduler_info()
        self.slots = max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))

    def map(self, groups: Sequence[list[Segment]], config: Config) -> Iterator[Findings]:
        futures = self._client.map(check_group, list(groups), config=config, pure=False)
        try:
            for future in futures:
                yield future.result()
        finally:
            self._client.cancel(futures)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_engine(name: str, jobs: int, address: str | None = None) -> Engine:
    if name == "dask" or address:
        return Dask(address, jobs)
    if name != "local":
        raise CorpusError(f"unknown engine {name!r}: local or dask")
    return Processes(jobs) if jobs > 1 else InProcess()
