"""Extraction on several cores (`extract_parallel`) or on a Dask cluster (`extract_on_dask`).

Both read the articles lazily in batches and keep only a few batches in flight, so memory stays
flat whatever the size of the corpus; both build the Extractor once per worker process (building
the spaCy pipeline is the slow part) and yield the results in input order, equal to what
`Extractor.extract` gives on one core.

Workers of a Dask cluster must have majlis installed: tasks name `majlis.distributed._extract_batch`.
"""
from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import pickle
import threading
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from extract.collector import paused
from extract.errors import MajlisError
from extract.pipeline import Extractor
from extract.types import Article, ArticleResult

# The first batch is this small, and each next one twice as large up to `batch_size`: every worker
# gets work at once, and even a corpus of a few dozen articles is shared out.
FIRST_BATCH = 8
# Batches submitted ahead per worker slot: one running, one waiting, so no worker idles between batches.
AHEAD_PER_WORKER = 2
DASK_CONNECT_TIMEOUT_S = 30

_Config = tuple[tuple[str, ...], dt.date]


def extract_parallel(articles: Iterable[Article], jobs: int, *, lexicon_dirs: Iterable[Path | str] = (),
                     batch_size: int = 200, today: dt.date | None = None) -> Iterator[ArticleResult]:
    """Extract with `jobs` worker processes (one Extractor each); `jobs=1` runs here, without a pool."""
    if jobs < 1:
        raise MajlisError(f"--jobs must be at least 1, not {jobs}")
    _check_batch_size(batch_size)
    config = _config(lexicon_dirs, today)
    if jobs == 1:
        return _extractor(config).extract_many(articles)
    return _on_processes(articles, jobs, batch_size, config)


def extract_on_dask(address: str, articles: Iterable[Article], *, lexicon_dirs: Iterable[Path | str] = (),
                    batch_size: int = 200, today: dt.date | None = None) -> Iterator[ArticleResult]:
    """Extract on the Dask cluster whose scheduler is at `address` (e.g. "tcp://10.0.0.5:8786").

    The connection is made when the first result is asked for.
    """
    _check_batch_size(batch_size)
    return _on_dask(address, articles, batch_size, _config(lexicon_dirs, today))


def _on_processes(articles: Iterable[Article], jobs: int, batch_size: int, config: _Config) -> Iterator[ArticleResult]:
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_process_context(),
                               initializer=_start_worker, initargs=(config,))
    try:
        yield from _in_order(lambda batch: pool.submit(_extract_batch, batch, config),
                             _batches(articles, batch_size), ahead=AHEAD_PER_WORKER * jobs)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _on_dask(address: str, articles: Iterable[Article], batch_size: int, config: _Config) -> Iterator[ArticleResult]:
    client = _dask_client(address)
    try:
        slots = max(1, sum(client.nthreads().values()))
        yield from _in_order(lambda batch: client.submit(_extract_batch, batch, config, pure=False),
                             _batches(articles, batch_size), ahead=AHEAD_PER_WORKER * slots)
    finally:
        client.close()


# --- the client side -----------------------------------------------------------------------------

def _config(lexicon_dirs: Iterable[Path | str], today: dt.date | None) -> _Config:
    # "today" is fixed here, once: a worker reading its own clock could infer another year at midnight.
    return tuple(str(Path(d)) for d in lexicon_dirs), today or dt.date.today()


def _check_batch_size(batch_size: int) -> None:
    if batch_size < 1:
        raise MajlisError(f"batch size must be at least 1, not {batch_size}")


def _batches(articles: Iterable[Article], largest: int) -> Iterator[list[Article]]:
    stream = iter(articles)
    size = min(FIRST_BATCH, largest)
    while batch := list(islice(stream, size)):
        yield batch
        size = min(2 * size, largest)


def _in_order(submit: Callable[[list[Article]], object], batches: Iterator[list[Article]],
              ahead: int) -> Iterator[ArticleResult]:
    """Submit batches while at most `ahead` are pending; yield each batch's results in turn, oldest first."""
    pending: deque = deque()
    try:
        for batch in batches:
            pending.append(submit(batch))
            if len(pending) >= ahead:
                yield from _unpack(pending.popleft().result())
        while pending:
            yield from _unpack(pending.popleft().result())
    finally:
        for future in pending:  # the consumer stopped early, or a batch failed
            future.cancel()


def _process_context():
    # forkserver: workers fork from a clean single-threaded server (plain fork can deadlock a parent
    # with threads), and the server imports spaCy once for all of them.
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["extract.pipeline"])
    return context


def _dask_client(address: str):
    try:
        from dask.distributed import Client
    except ImportError:
        raise MajlisError("extraction on Dask needs dask.distributed: pip install 'dask[distributed]'") from None
    try:
        return Client(address, timeout=DASK_CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise MajlisError(f"cannot reach the Dask scheduler at {address}: {e}") from None


# --- the worker side -----------------------------------------------------------------------------

# One Extractor per worker process and configuration, built on first use. A Dask worker may run
# several tasks at once in threads: the lock keeps them off the same pipeline at the same time.
_extractors: dict[_Config, tuple[Extractor, threading.Lock]] = {}
_building = threading.Lock()


def _extractor(config: _Config) -> Extractor:
    return _cached(config)[0]


def _start_worker(config: _Config) -> None:
    """A pool worker builds its pipeline, then freezes what it holds (it cost a third of pickling the results)."""
    _extractor(config)
    freeze_what_lives_on()


def freeze_what_lives_on() -> None:
    """Call once the pipeline is built. The lexicon and spaCy's tables live as long as the process:
    frozen out of the cyclic collector, they are not walked again by every full collection while
    results pile up."""
    gc.collect()
    gc.freeze()


def _cached(config: _Config) -> tuple[Extractor, threading.Lock]:
    with _building:
        if config not in _extractors:
            lexicon_dirs, today = config
            _extractors[config] = (Extractor(lexicon_dirs, today=today), threading.Lock())
        return _extractors[config]


def _extract_batch(batch: list[Article], config: _Config) -> bytes:
    """The batch's results, pickled here (see `_pack`)."""
    extractor, in_use = _cached(config)
    with in_use:
        return _pack([extractor.extract(article) for article in batch])


# --- results in transit --------------------------------------------------------------------------

# A batch's results cross as one pickle made and read with the cyclic collector paused. Pickling
# creates a hundred-odd tuples an article, and each collection triggered on the way walks every
# object the process holds; paused, the parent reads a batch five times faster. Nothing cyclic is
# made meanwhile, so there is nothing for the collector to miss.

def _pack(results: list[ArticleResult]) -> bytes:
    with paused():
        return pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)


def _unpack(blob: bytes) -> list[ArticleResult]:
    with paused():
        return pickle.loads(blob)


