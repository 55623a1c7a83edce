"""How majlis scales, from 100 to 100,000 synthetic articles: one table of figures, no assertion.

    .venv/bin/python bench/bench_scale.py                                     # 100 and 1,000 articles: ~5 minutes
    nohup .venv/bin/python bench/bench_scale.py --sizes 100,1000,10000,100000 > out/scale.txt &   # ~40 minutes

The articles come from bench/synth.py (~500 words each, deterministic per --seed). Intermediates go
to --workdir (default out/bench-scale, which git ignores): the corpus (kept and reused by later runs),
the extraction results of the largest size, Turtle files and a store (both made again each run).
Each figure below comes from a fresh subprocess, so that peaks of memory are per size.

extraction    Articles/s from the JSONL through majlis.distributed.extract_parallel (the path of
              `majlis build --jobs N`), with 1 and 2 jobs, results counted and dropped. The clock
              starts at the 8th result: pipeline build and pool start-up are shown apart. Up to
              10,000 articles, 1 and 2 jobs run twice each, in turn, and the rates are means. The floor
              is spacy.blank("ar")'s tokenizer alone on the same texts. Sizes above --one-job-max
              take the 1-job rate of the first --one-job-max articles (marked *).
memory        Peak RSS of the process (ru_maxrss) and of the pool workers (VmHWM from /proc: the
              workers are children of multiprocessing's forkserver, which RUSAGE_CHILDREN never
              sees), and RSS after 1k, 10k and 100k articles of the same streaming run.
in-memory     graph.build.build_dataset of the results (rdflib Dataset): triples/s, the RSS it adds;
              graph.io.save to .ttl.
queries       who-met-whom, meetings-of (person = the synthetic official who meets most) and
              meetings-by-country at --query-articles articles (default 10,000: ~1M triples, as
              synthetic articles give ~100 graph triples each), on rdflib (queries.run on the
              in-memory Dataset, what `majlis query -g` does) and on the Oxigraph store through
              Store.run (what `majlis query --store` and `majlis serve` do: pyoxigraph on RocksDB, the
              union of the article graphs kept as the default graph; first run, and the median of 3).
              Also the copy of the store into rdflib that `majlis network` and `majlis export` make
              from a store. A query past --query-timeout is killed: ">T".
store         Store.add in batches of 1,000 cached results (triples/s, and the time of each batch as
              the store grows) up to --clone-above articles; beyond, copies of the stored article
              graphs and person rows under new ids, bulk-loaded, to keep the run short (the time
              of `add` depends on what the store holds, not on how it got there).
add           What `majlis add new.jsonl --store DIR --jobs 2` does (cli._add: read, extract_parallel
              on 2 jobs, Store.add) with the next 1,000 articles of the corpus, at 1,000, 10,000 and
              100,000 stored articles, Store.add's parts timed (stored_hash is also inside person_names).
"""
from __future__ import annotations

import argparse
import datetime as dt
import faulthandler
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from importlib import metadata
from itertools import chain, islice
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

BATCH = 1000  # articles per Store.add while filling, per cache record, per `add` measured
WARM_UP = 8  # results before the extraction clock starts (distributed.FIRST_BATCH)
CHECKPOINTS = (1_000, 10_000, 100_000)
QUERIES = ("who-met-whom", "meetings-of", "meetings-by-country")
REPEATS = 3  # runs of each query on the store; the median is shown beside the first
PAIRS, PAIRED_UP_TO = 2, 10_000  # 1-job and 2-job extraction runs taken in turn, up to this size
STARTED = time.monotonic()


# --- plumbing ----------------------------------------------------------------------------------------

def say(message: str) -> None:
    """Progress on stderr, with the minutes since the start."""
    elapsed = time.monotonic() - STARTED
    print(f"[{elapsed / 60:5.1f} min] {message}", file=sys.stderr, flush=True)


def run_worker(worker: str, /, timeout: float | None = None, **kwargs) -> dict | None:
    """Run `WORKERS[worker](**kwargs)` in a fresh Python; its JSON answer, or None past `timeout` seconds."""
    command = [sys.executable, __file__, "_worker", worker, json.dumps(kwargs)]
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory now (VmRSS), in MB."""
    return _status_kb(pid, "VmRSS") / 1024


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_kb(pid: int | str, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:  # the process has gone
        pass
    return 0


def cpu_seconds(pid: int | str = "self") -> float:
    """User and system CPU time of a process so far, from /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time the machine spent busy so far, all cores and processes together (from /proc/stat)."""
    user, nice, system, _idle, _iowait, irq, softirq = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]
    return sum(map(int, (user, nice, system, irq, softirq))) / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """Every living process under `pid` (children, grandchildren, ...), from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                    parents[int(entry)] = int(stat.read().rpartition(")")[2].split()[1])
            except OSError:
                continue
    found, frontier = [], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        found += frontier
    return found


class WorkerPeaks(threading.Thread):
    """Samples the peak RSS (VmHWM) and the CPU time of every process under this one, twice a second."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peaks_kb: dict[int, int] = {}
        self.cpu_s: dict[int, float] = {}
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.5):
            self.sample()

    def sample(self) -> None:
        for pid in descendants(os.getpid()):
            self.peaks_kb[pid] = max(self.peaks_kb.get(pid, 0), _status_kb(pid, "VmHWM"))
            self.cpu_s[pid] = max(self.cpu_s.get(pid, 0.0), cpu_seconds(pid))

    def stop(self) -> float:
        """The largest peak of any one descendant, in MB."""
        self._done.set()
        self.join()
        return max(self.peaks_kb.values(), default=0) / 1024

    @staticmethod
    def now_mb() -> float:
        return sum(rss_mb(pid) for pid in descendants(os.getpid()))


def in_forked_child(work: Callable[[], object], timeout: float):
    """`work()` in a forked copy of this process: its value, or None past `timeout` seconds."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    def answer() -> None:
        try:
            sender.send(work())
        except Exception as e:  # a failed query is a figure too
            sender.send({"error": f"{type(e).__name__}: {e}"})

    child = context.Process(target=answer)
    child.start()
    sender.close()
    value = receiver.recv() if receiver.poll(timeout) else None
    child.kill()
    child.join()
    return value


def timed(work: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    value = work()
    return time.perf_counter() - started, value


# --- the corpus and the cached results -----------------------------------------------------------------

def corpus_file(workdir: Path, count: int, seed: int) -> Path:
    """A JSONL of at least `count` synthetic articles: one already made for this seed, or a new one.

    synth.py's article i depends only on the seed and i, so a longer corpus serves a shorter need.
    """
    for path in sorted(workdir.glob(f"corpus-seed{seed}-*.jsonl")):
        if path.stem.rpartition("-")[2].isdigit() and int(path.stem.rpartition("-")[2]) >= count:
            return path
    import synth

    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"corpus-seed{seed}-{count}.jsonl"
    partial = path.with_suffix(".partial")
    say(f"writing {count:,} synthetic articles to {path}")
    with partial.open("w", encoding="utf-8") as out:
        for record in synth.generate(count, seed):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    partial.replace(path)
    return path


def read_corpus(corpus: str | Path, count: int, start: int = 0) -> Iterator:
    """Articles start..start+count of the corpus, read one at a time by majlis's own reader."""
    from extract.reader import Rejected, read_articles

    return islice((a for a in read_articles([corpus]) if not isinstance(a, Rejected)), start, start + count)


def warm_extractor(workdir: Path, count: int) -> tuple[list, object]:
    """The first `count` synthetic articles of seed 1, held in memory, and an Extractor that has read
    one and frozen what it keeps, as majlis build does once the pipeline is built: the set-up of the
    single-process timings (time_extract.py, passes.py)."""
    import datetime as dt

    from extract.pipeline import Extractor
    from majlis.distributed import freeze_what_lives_on

    articles = list(read_corpus(corpus_file(workdir, count, seed=1), count))
    extractor = Extractor(today=dt.date(2026, 11, 22))
    extractor.extract(articles[0])
    freeze_what_lives_on()
    return articles, extractor


def slice_corpus(corpus: Path, start: int, count: int, path: Path) -> Path:
    """Lines start..start+count of the corpus as a JSONL of their own (the day's new articles)."""
    with corpus.open(encoding="utf-8") as lines, path.open("w", encoding="utf-8") as out:
        out.writelines(islice(lines, start, start + count))
    return path


def cached_results(cache: str | Path, count: int, start: int = 0) -> Iterator:
    """ArticleResults start..start+count from the cache the largest extraction run wrote."""
    import pickle

    def records():
        with open(cache, "rb") as f:
            while True:
                try:
                    yield from pickle.load(f)
                except EOFError:
                    return

    return islice(records(), start, start + count)


# --- workers (each runs in a fresh subprocess) --------------------------------------------------------

def tokenize_worker(corpus: str, size: int) -> dict:
    """The floor: spacy.blank("ar")'s tokenizer alone, streaming the same texts."""
    import spacy

    tokenizer = spacy.blank("ar").tokenizer
    texts = (a.text for a in read_corpus(corpus, size))
    started = time.perf_counter()
    tokens = sum(len(tokenizer(text)) for text in texts)
    seconds = time.perf_counter() - started
    return {"articles": size, "seconds": seconds, "rate": size / seconds, "tokens": tokens}


def extract_worker(corpus: str, size: int, jobs: int, cache: str | None = None) -> dict:
    """Stream `size` articles through extract_parallel with `jobs` jobs; optionally keep the results."""
    import pickle

    from majlis.distributed import extract_parallel

    peaks = WorkerPeaks()
    peaks.start()
    keep = open(cache, "wb") if cache else None
    batch, write_s, count, triples, at = [], 0.0, 0, 0, {}
    cpu0, busy0 = cpu_seconds(), machine_busy_seconds()
    started = time.perf_counter()
    warm = None
    for result in extract_parallel(read_corpus(corpus, size), jobs):
        count += 1
        triples += len(result.triples)
        if count == WARM_UP:
            warm = time.perf_counter()
        if count in CHECKPOINTS:
            at[count] = {"self_mb": rss_mb(), "workers_mb": peaks.now_mb()}
        if keep:
            t0 = time.perf_counter()
            batch.append(result)
            if len(batch) == BATCH:
                pickle.dump(batch, keep, protocol=pickle.HIGHEST_PROTOCOL)
                batch = []
            write_s += time.perf_counter() - t0
    ended = time.perf_counter()
    main_cpu, busy = cpu_seconds() - cpu0, machine_busy_seconds() - busy0
    if keep:
        pickle.dump(batch, keep, protocol=pickle.HIGHEST_PROTOCOL)
        keep.close()
    peaks.sample()
    return {"articles": count, "jobs": jobs, "triples": triples, "startup_s": warm - started,
            "seconds": ended - warm, "rate": (count - WARM_UP) / (ended - warm), "wall_s": ended - started,
            "self_peak_mb": peak_mb(), "worker_peak_mb": peaks.stop(), "at": at, "cache_write_s": write_s,
            "main_cpu_s": main_cpu, "workers_cpu_s": sum(peaks.cpu_s.values()),
            "others_cpu_s": max(0.0, busy - main_cpu - sum(peaks.cpu_s.values()))}


def memory_worker(cache: str, size: int, turtle: str, person: str | None, query_timeout: float) -> dict:
    """build_dataset of `size` cached results, save to Turtle, and (with `person`) the rdflib query times."""
    from graph.build import build_dataset
    from graph.io import save

    results = list(cached_results(cache, size))
    before = rss_mb()
    build_s, dataset = timed(lambda: build_dataset(results))
    added_mb = rss_mb() - before
    triples = len(dataset)
    save_s, _ = timed(lambda: save(dataset, turtle))
    figures = {"articles": size, "triples": triples, "build_s": build_s, "triples_per_s": triples / build_s,
               "added_mb": added_mb, "bytes_per_triple": added_mb * 2**20 / triples, "turtle_s": save_s,
               "turtle_mb": os.path.getsize(turtle) / 2**20, "self_peak_mb": peak_mb()}
    Path(turtle).unlink()
    if person is not None:
        figures["queries"] = {name: in_forked_child(lambda: _rdflib_query(dataset, name, person), query_timeout)
                              for name in QUERIES}
    return figures


def _rdflib_query(dataset, name: str, person: str) -> dict:
    import queries

    seconds, result = timed(lambda: queries.run(dataset, name, _params(name, person)))
    return {"seconds": seconds, "rows": len(result.rows)}


def store_query_worker(store: str, name: str, person: str, query_timeout: float) -> dict:
    """One named query through Store.run, in a fresh process: the first run, then the median of up to 3."""
    from graph.store import Store

    runs: list[tuple[float, int]] = []
    with Store.open(store, read_only=True) as opened:
        while len(runs) < REPEATS and sum(s for s, _ in runs) < query_timeout / 2:
            runs.append(timed(lambda: len(opened.run(name, _params(name, person)).rows)))
    return {"first_s": runs[0][0], "seconds": statistics.median(s for s, _ in runs), "rows": runs[0][1],
            "runs": len(runs)}


def as_rdflib_worker(store: str) -> dict:
    """What `majlis query --store` does before it queries: copy the store into an rdflib Dataset."""
    from graph.store import Store

    with Store.open(store, read_only=True) as opened:
        seconds, dataset = timed(opened.as_rdflib)
    return {"seconds": seconds, "triples": len(dataset), "self_peak_mb": peak_mb()}


WORKERS = {"tokenize": tokenize_worker, "extract": extract_worker, "memory": memory_worker,
           "store_query": store_query_worker, "as_rdflib": as_rdflib_worker}


def _params(name: str, person: str) -> dict[str, str]:
    return {"person": person} if name == "meetings-of" else {}


# --- the phases (in this process, each starting workers) ---------------------------------------------

def extraction_phase(corpus: Path, sizes: list[int], one_job_max: int, cache: Path) -> dict:
    """Per size: tokenizer floor, 1 job, 2 jobs; the largest 2-job run also writes the results cache.

    Up to PAIRED_UP_TO articles, 1 job and 2 jobs run PAIRS times in turn (1, 2, 1, 2): this machine's
    speed drifts by a tenth or more from one minute to the next, and a speed-up taken from a single
    pair of runs minutes apart measures the drift as much as the jobs. Rates are the mean of the runs.
    """
    figures = {}
    for size in sizes:
        say(f"tokenizer on {size:,} articles")
        row = {"tokenizer": run_worker("tokenize", corpus=str(corpus), size=size)}
        one = min(size, one_job_max)
        pairs = PAIRS if size <= PAIRED_UP_TO else 1
        ones, twos = [], []
        for n in range(pairs):
            if one in figures:
                ones = [figures[one]["1"]]
            else:
                say(f"extraction of {one:,} articles on 1 job" + (f", run {n + 1} of {pairs}" if pairs > 1 else ""))
                ones.append(run_worker("extract", corpus=str(corpus), size=one, jobs=1))
            keep = size == sizes[-1] and n == pairs - 1
            say(f"extraction of {size:,} articles on 2 jobs" + (f", run {n + 1} of {pairs}" if pairs > 1 else "")
                + (", keeping the results" if keep else ""))
            twos.append(run_worker("extract", corpus=str(corpus), size=size, jobs=2, cache=str(cache) if keep else None))
        row["1"] = _mean_rate(ones) | {"capped_at": one if one < size else None}
        row["2"] = _mean_rate(twos)
        figures[size] = row
    return figures


def _mean_rate(runs: list[dict]) -> dict:
    """The last run's figures, with the mean rate of all the runs and each run's rate."""
    rates = [r for run in runs for r in run.get("rates", [run["rate"]])]
    return runs[-1] | {"rate": statistics.mean(rates), "rates": rates}


def memory_phase(cache: Path, sizes: list[int], query_at: int, person: str, timeout: float, workdir: Path) -> dict:
    """Per size up to `query_at`: build_dataset and Turtle; at `query_at`, the rdflib query times too."""
    figures = {}
    for size in sorted({s for s in sizes if s <= query_at} | {query_at}):
        say(f"in-memory graph of {size:,} articles" + (", then the rdflib queries" if size == query_at else ""))
        figures[size] = run_worker("memory", cache=str(cache), size=size, turtle=str(workdir / f"graph-{size}.ttl"),
                                   person=person if size == query_at else None, query_timeout=timeout)
    return figures


def store_phase(corpus: Path, cache: Path, probes: list[int], query_at: int, clone_above: int,
                person: str, timeout: float, workdir: Path) -> dict:
    """Grow a store to each probe size; at `query_at` time the Oxigraph queries; at each probe, add 1,000."""
    from graph.store import Store

    path = workdir / "store"
    shutil.rmtree(path, ignore_errors=True)
    figures: dict = {"fill": [], "clones": [], "adds": [], "queries": None}
    stored = 0
    store = Store.open(path)
    try:
        for target in sorted(set(probes) | {query_at}):
            stored = grow(store, stored, target, cache, clone_above, figures)
            if target == query_at:
                quads = store.quad_count()
                store.close()
                figures["queries"] = oxigraph_queries(path, person, timeout) | {"articles": stored, "quads": quads}
                store = Store.open(path)
            if target in probes:
                say(f"adding {BATCH:,} new articles to the store of {stored:,}")
                figures["adds"].append(add_new_articles(store, corpus, stored, workdir))
                stored += BATCH
    finally:
        store.close()
    return figures


def grow(store, stored: int, target: int, cache: Path, clone_above: int, figures: dict) -> int:
    """Fill the store from `stored` to `target` articles: Store.add up to `clone_above`, copies beyond."""
    while stored < target:
        if stored >= clone_above:
            say(f"copying stored articles to grow the store from {stored:,} to {target:,}")
            figures["clones"].append(clone_articles(store, target - stored) | {"from": stored})
            return target
        count = min(BATCH, target - stored, clone_above - stored)
        batch = list(cached_results(cache, count, start=stored))
        before = store.quad_count()
        seconds, _ = timed(lambda: store.add(batch))
        figures["fill"].append({"stored": stored, "articles": count, "seconds": seconds,
                                "quads": store.quad_count() - before})
        stored += count
        say(f"store holds {stored:,} articles")
    return stored


def oxigraph_queries(path: Path, person: str, timeout: float) -> dict:
    """The named queries on the closed store through Store.run; the copy into rdflib that network and export make."""
    figures = {"store": {}}
    for name in QUERIES:
        say(f"{name} through Store.run")
        figures["store"][name] = run_worker("store_query", timeout=REPEATS * timeout, store=str(path), name=name,
                                            person=person, query_timeout=timeout)
    say("copying the store into rdflib, as `majlis network --store` and `majlis export --store` do")
    figures["as_rdflib"] = run_worker("as_rdflib", store=str(path))
    return figures


def add_new_articles(store, corpus: Path, stored: int, workdir: Path) -> dict:
    """The next 1,000 articles of the corpus, as `majlis add new.jsonl --store DIR --jobs 2` handles them."""
    from majlis.distributed import extract_parallel

    from extract.reader import Rejected, read_articles

    new = slice_corpus(corpus, stored, BATCH, workdir / f"new-{stored}.jsonl")
    articles = (a for a in read_articles([new]) if not isinstance(a, Rejected))
    extract_s, results = timed(lambda: list(extract_parallel(articles, 2)))
    with store_parts() as parts:
        add_s, report = timed(lambda: store.add(results))
    new.unlink()
    return {"stored": stored, "extract_s": extract_s, "add_s": add_s, "added": report.added, "parts": parts}


@contextmanager
def store_parts() -> Iterator[dict]:
    """Time the steps of Store.add by wrapping what it calls; yields {step: [seconds, calls]}."""
    import graph.store as gs

    steps = {"person_names": (gs.Store, "person_names"), "stored_hash": (gs.Store, "stored_hash"),
             "build_dataset": (gs, "build_dataset"), "Identity": (gs, "Identity"),
             "person rows": (gs.PersonTable, "record"), "forget rows": (gs.PersonTable, "forget_other_versions"),
             "write graphs": (gs.Store, "_replace_graph")}
    parts = {step: [0.0, 0] for step in steps}
    originals = {step: getattr(owner, attribute) for step, (owner, attribute) in steps.items()}

    def wrap(step: str, function: Callable) -> Callable:
        def timed_call(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                parts[step][0] += time.perf_counter() - started
                parts[step][1] += 1
        return timed_call

    for step, (owner, attribute) in steps.items():
        setattr(owner, attribute, wrap(step, originals[step]))
    try:
        yield parts
    finally:
        for step, (owner, attribute) in steps.items():
            setattr(owner, attribute, originals[step])


_LAST_TERM = re.compile(rb" <[^<>]*> \.$", re.MULTILINE)  # the graph name of an N-Quads line


def clone_articles(store, count: int) -> dict:
    """Grow the store by `count` copies of its own article graphs and person rows, under new article ids.

    The first copy of article "synth-1-0000042" in a store of 11,000 is "synth-1-0000042c1n11000" (then
    c2n11000, ...): the id is renamed in every IRI and literal that holds it, and statement IRIs (a
    digest that includes the id) get the suffix too; persons, organisations, places and topics stay
    the same resources, as in real news.
    """
    import sqlite3

    import pyoxigraph as ox

    from graph.identity import graph_iri

    quads = store.quads_store()
    base = store.article_ids()
    chunks = [base[i:i + BATCH] for i in range(0, len(base), BATCH)]
    texts: dict[int, bytes] = {}  # N-Quads of each chunk of the originals, read once

    def nquads(ids: list[str]) -> bytes:
        graphs = chain.from_iterable(quads.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri(i))) for i in ids)
        return ox.serialize(graphs, format=ox.RdfFormat.N_QUADS)

    persons = sqlite3.connect(store.path / "persons.sqlite")
    started, made, copy = time.perf_counter(), 0, 0
    parts = dict.fromkeys(("read", "rename", "bulk_load", "person rows"), 0.0)

    def step(part: str, work: Callable):
        seconds, value = timed(work)
        parts[part] += seconds
        return value

    while made < count:
        copy += 1
        suffix = b"c%dn%d" % (copy, len(base))
        for number, chunk in enumerate(chunks):
            ids = chunk[:count - made]
            if not ids:
                break
            text = step("read", lambda: texts.setdefault(number, nquads(chunk)) if len(ids) == len(chunk) else nquads(ids))
            text = step("rename", lambda: re.sub(rb"(/statement/[0-9a-f]+)>", rb"\g<1>-" + suffix + b">",
                                                 re.sub(rb"(synth-\d+-\d{7})", rb"\g<1>" + suffix, text)))
            # The copies join the union in the default graph too (Store keeps it, see graph/store.py).
            step("bulk_load", lambda: quads.bulk_load(text + _LAST_TERM.sub(b" .", text), format=ox.RdfFormat.N_QUADS))
            with persons:
                step("person rows", lambda: persons.executemany(
                    "INSERT OR IGNORE INTO person_name SELECT article || ?, hash, key, name, last_word "
                    "FROM person_name WHERE article = ?", ((suffix.decode(), i) for i in ids)))
            made += len(ids)
    persons.close()
    return {"articles": made, "seconds": time.perf_counter() - started, "parts": parts}


# --- the report -------------------------------------------------------------------------------------------

def environment(argv: list[str]) -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    ram_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
    versions = {name: metadata.version(name) for name in ("spacy", "rdflib", "pyoxigraph", "oxrdflib")}
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    if subprocess.run([*git, "status", "--porcelain", "extract", "graph", "majlis"], capture_output=True, text=True).stdout:
        commit += " with uncommitted changes"
    return {"commit": commit, "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "cores": os.cpu_count(),
            "cpu": cpu, "ram_gib": round(ram_kb / 2**20, 1), "python": platform.python_version(),
            "versions": versions, "command": " ".join(["bench/bench_scale.py", *argv])}


def table(title: str, header: list[str], rows: list[list]) -> str:
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(header)]
    lines = [title, "  ".join(h.rjust(w) for h, w in zip(header, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in cells]
    return "\n".join(lines) + "\n"


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 100 else f"{value:.3g}" if value < 1 else f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _seconds(figure: dict | None, timeout: float) -> str:
    if figure is None:
        return f">{timeout:g}"
    return f"{figure['seconds']:.3g}" if "seconds" in figure else "error"


def report(env: dict, extraction: dict, memory: dict, store: dict, timeout: float) -> str:
    parts = [f"majlis scale benchmark, {env['date']}: {env['cores']} cores ({env['cpu']}), {env['ram_gib']} GiB, "
             f"Python {env['python']}, " + ", ".join(f"{k} {v}" for k, v in env["versions"].items()),
             f"commit {env['commit']}; command: {env['command']}", ""]
    parts.append(extraction_table(extraction))
    parts.append(memory_table(extraction))
    parts.append(table("In-memory graph (graph.build.build_dataset, rdflib) and Turtle (graph.io.save)",
                       ["articles", "triples", "build s", "triples/s", "MB added", "B/triple", "turtle s", "turtle MB"],
                       [[n, m["triples"], m["build_s"], m["triples_per_s"], m["added_mb"], m["bytes_per_triple"],
                         m["turtle_s"], m["turtle_mb"]] for n, m in memory.items()]))
    parts.append(fill_table(store))
    parts.append(query_table(memory, store, timeout))
    parts.append(add_table(store))
    return "\n".join(parts)


def extraction_table(extraction: dict) -> str:
    rows = []
    for size, row in extraction.items():
        one, two, floor = row["1"], row["2"], row["tokenizer"]
        mark = "*" if one.get("capped_at") else ""
        cores = " / ".join(f"{two[k] / two['wall_s']:.2f}" for k in ("main_cpu_s", "workers_cpu_s", "others_cpu_s"))
        runs = "" if len(two.get("rates", ())) < 2 else " (" + ", ".join(
            f"{a:.0f}/{b:.0f}" for a, b in zip(one["rates"], two["rates"])) + ")"
        rows.append([size, floor["rate"], f"{one['rate']:.1f}{mark}", two["rate"], f"{two['rate'] / one['rate']:.2f}{runs}",
                     f"{100 * one['rate'] / floor['rate']:.1f}%", one["startup_s"], two["startup_s"],
                     two["triples"] / two["articles"], cores, one["others_cpu_s"] / one["wall_s"]])
    return table("Extraction, articles/s (steady, after the first 8 results; * = rate of the first articles only;\n"
                 "up to 10,000 articles the mean of 2 runs each, taken in turn; after the speed-up, each pair's 1-job/2-job rates;\n"
                 "cores busy = CPU seconds / wall seconds of this run's main process, its workers, other processes)",
                 ["articles", "tokenizer", "1 job", "2 jobs", "speed-up", "1 job/tokenizer", "start 1 s", "start 2 s",
                  "triples/article", "2 jobs: cores main/workers/others", "1 job: others"], rows)


def memory_table(extraction: dict) -> str:
    rows = []
    for size, row in extraction.items():
        one, two = row["1"], row["2"]
        at = ", ".join(f"{int(n) // 1000}k: {v['self_mb']:.0f}+{v['workers_mb']:.0f}"
                       for n, v in sorted(two["at"].items(), key=lambda kv: int(kv[0])))
        rows.append([size, f"{one['self_peak_mb']:.0f}" + ("*" if one.get("capped_at") else ""),
                     two["self_peak_mb"], two["worker_peak_mb"], at or "-"])
    return table("Peak RSS of a streaming extraction, MB (fresh process per size; 2 jobs: main process, largest worker)",
                 ["articles", "1 job", "2 jobs main", "2 jobs worker", "RSS main+workers after N articles (2 jobs)"], rows)


def fill_table(store: dict) -> str:
    rows = [[f["stored"], f["articles"], f["seconds"], f["quads"], f["quads"] / f["seconds"]] for f in store["fill"]]
    rows += [[c["from"], c["articles"], c["seconds"], "copies: " + ", ".join(f"{k} {v:.0f} s" for k, v in c["parts"].items()),
              "-"] for c in store["clones"]]
    return table("Store.add into Oxigraph, batches of 1,000 cached results", ["stored before", "articles", "seconds",
                                                                            "quads added", "quads/s"], rows)


def query_table(memory: dict, store: dict, timeout: float) -> str:
    found = store["queries"]
    at = found["articles"]
    rdflib_times = memory[at].get("queries", {})
    rows = []
    for name in QUERIES:
        slow, fast = rdflib_times.get(name), found["store"].get(name)
        if not fast or "seconds" not in fast or (slow and "seconds" not in slow):
            ratio = "-"
        else:
            factor = (slow["seconds"] if slow else timeout) / fast["seconds"]
            ratio = ("" if slow else ">") + (f"{factor:,.0f}x" if factor >= 10 else f"{factor:.2g}x")
        first = f"{fast['first_s']:.3g}" if fast and "first_s" in fast else "-"
        rows.append([name, _seconds(slow, timeout), first, _seconds(fast, timeout), ratio,
                     "/".join(str(f.get("rows", "?")) if f else "?" for f in (slow, fast))])
    copy = found["as_rdflib"]
    note = (f"{at:,} articles: {memory[at]['triples']:,} triples in the rdflib union; the store holds them as "
            f"{found.get('quads', 0):,} quads in the article graphs, and their union; copying the store into rdflib "
            f"(network, export): {copy['seconds']:.1f} s, {copy['self_peak_mb']:.0f} MB peak\n")
    return table(f"Named queries at {at:,} articles, seconds", ["query", "rdflib memory", "Oxigraph store, first",
                 "Oxigraph store, median", "rdflib/Oxigraph", "rows rdflib/Oxigraph"], rows) + note


def add_table(store: dict) -> str:
    steps = list(store["adds"][0]["parts"]) if store["adds"] else []
    rows = [[a["stored"], a["extract_s"], a["add_s"], a["extract_s"] + a["add_s"]]
            + [f"{a['parts'][s][0]:.2f}" for s in steps] for a in store["adds"]]
    return table("`majlis add` of 1,000 new articles (extract_parallel on 2 jobs, then Store.add), seconds",
                 ["stored", "extract", "Store.add", "total", *steps], rows)


# --- main ----------------------------------------------------------------------------------------------

def main(argv: list[str]) -> None:
    faulthandler.enable()  # a crash inside pyoxigraph or spaCy still says where it happened
    if argv[:1] == ["_worker"]:
        print(json.dumps(WORKERS[argv[1]](**json.loads(argv[2]))))
        return
    args = parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    env = environment(argv)
    sizes = sorted(args.sizes)
    query_at = min(args.query_articles, sizes[-1])
    probes = [s for s in sizes if s >= BATCH]
    say(f"process {os.getpid()}, workdir {args.workdir}")
    corpus = corpus_file(args.workdir, sizes[-1] + BATCH, args.seed)
    person = top_official(args.seed)
    cache = args.workdir / "results.pickle"
    figures: dict = {"environment": env, "person": person}
    keep = args.workdir / "figures.json"  # rewritten after each phase, so a long run that dies leaves its figures
    figures["extraction"] = extraction = extraction_phase(corpus, sizes, args.one_job_max, cache)
    keep.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    figures["memory"] = memory = memory_phase(cache, sizes, query_at, person, args.query_timeout, args.workdir)
    keep.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    figures["store"] = store = store_phase(corpus, cache, probes, query_at, args.clone_above, person,
                                           args.query_timeout, args.workdir)
    keep.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    say(f"done; figures also in {keep}")
    print(report(env, extraction, memory, store, args.query_timeout))


def top_official(seed: int) -> str:
    """The name of the official synth.py makes meet most often: present in any corpus of this seed."""
    import synth

    genre = synth.Genre()
    return synth.population(genre, 3000, seed)[0].name


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 2)[1])
    parser.add_argument("--sizes", type=_sizes, default=[100, 1000], help="corpus sizes, e.g. 100,1000,10000,100000 "
                        "(default 100,1000)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "out" / "bench-scale",
                        help="where the corpus, results, Turtle files and store go (default out/bench-scale)")
    parser.add_argument("--seed", type=int, default=1, help="synth.py seed (default 1)")
    parser.add_argument("--query-articles", type=int, default=10_000,
                        help="articles in the graph the queries run on (default 10,000, ~1M triples)")
    parser.add_argument("--query-timeout", type=float, default=60, help="seconds before a query is killed (default 60)")
    parser.add_argument("--one-job-max", type=int, default=100_000,
                        help="the 1-job rate of larger sizes is taken on this many articles (default 100,000)")
    parser.add_argument("--clone-above", type=int, default=10_000,
                        help="fill the store with Store.add up to this many articles, with copies beyond (default 10,000)")
    return parser.parse_args(argv)


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes like 100,1000, got {text!r}") from None
    if not sizes or min(sizes) < 100:
        raise argparse.ArgumentTypeError("sizes must be at least 100")
    return sorted(set(sizes))


if __name__ == "__main__":
    main(sys.argv[1:])
