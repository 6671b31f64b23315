"""Load and soak: long searches with checkpoints, concurrent searches, fit_timeout.

Three parts, each printed as a markdown table:

1. ``load``: a 10,000-candidate random search and a 1,000-candidate GP
   search of a zero-cost estimator, both with a checkpoint and ``n_jobs=2``,
   each in a fresh process with ``tracemalloc`` on. After every batch a
   callback notes the time, the Python allocations still held (tracemalloc),
   the resident memory of the search process and of its loky workers; the
   table gives milliseconds per candidate and memory per window of candidates.
2. ``concurrent``: four different searches (random; Sobol with a checkpoint;
   GP with fit_timeout; GP with both) run alone, then all four at once in
   threads of one process, then at once in four processes; the results
   (params and every score column) must be identical.
3. ``timeout``: the overhead of ``fit_timeout`` on a zero-cost estimator
   against no timeout, alternated repeats, with ``n_jobs=1`` (a SIGALRM timer
   in the main thread), loky ``n_jobs=2`` (timers in the workers) and the
   threading backend (a watchdog thread per fit).

The 10,000-candidate random search runs twice: with ``n_jobs=2`` and
tracemalloc off (tracing the dispatch of 50,000 loky tasks slows it several
fold on a loaded machine), and with ``n_jobs=1`` and tracemalloc on.

A load run alone: ``soak.py --child-load gp 1000 --n-jobs 2 --trace > gp.json``,
then ``soak.py --print-load gp.json --child-load gp 1000 --n-jobs 2 --trace``.

Run: OMP_NUM_THREADS=1 nice python benchmarks/soak.py
     [--parts load,concurrent,timeout] [--random 10000] [--gp 1000]
     [--folds 5] [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from joblib import parallel_backend
from scipy.stats import loguniform, randint
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold

import skhyper
from skhyper import BayesSearchCV, HyperSearchCV, Integer, RandomSearchCV, Real

try:
    from benchmarks._zero_cost import ZeroCostRegressor, zero_cost_data
except ImportError:  # run as a script from benchmarks/
    from _zero_cost import ZeroCostRegressor, zero_cost_data

RANDOM_SPACE = {"a": loguniform(1e-3, 1e3), "b": randint(0, 10), "c": ["x", "y"]}
GP_SPACE = {"a": Real(1e-3, 1e3, log=True), "b": Integer(0, 10), "c": ["x", "y"]}
MB = 1024 * 1024


# -- 1. load ---------------------------------------------------------------------
def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB


def worker_rss_mb() -> float:
    try:
        import psutil
    except ImportError:
        return float("nan")
    children = psutil.Process().children(recursive=True)
    return sum(child.memory_info().rss for child in children) / MB


def load_run(
    kind: str,
    n_candidates: int,
    n_jobs: int,
    folds: int,
    trace: bool,
    batch_size: int | None = None,
    rows_file: str | None = None,
) -> dict:
    """One search in this process; returns a row per batch (also appended to
    ``rows_file`` as they come, so a run stopped early keeps its rows)."""
    X, y = zero_cost_data()
    rows: list[dict[str, float]] = []

    def note(state: Any) -> None:
        current = tracemalloc.get_traced_memory()[0] if trace else float("nan")
        rows.append(
            {
                "elapsed": state.elapsed,
                "n": state.n_evaluated,
                "traced_mb": current / MB,
                "rss_mb": rss_mb(os.getpid()),
                "workers_mb": worker_rss_mb(),
            }
        )
        if rows_file:
            with open(rows_file, "a") as out:
                out.write(json.dumps(rows[-1]) + "\n")

    with tempfile.TemporaryDirectory() as tmp:
        checkpoint = Path(tmp) / "soak.ckpt"
        common = {
            "n_iter": n_candidates,
            "cv": KFold(folds),
            "n_jobs": n_jobs,
            "random_state": 0,
            "checkpoint": checkpoint,
            "callbacks": [note],
            "refit": False,
            "batch_size": batch_size,
        }
        if kind == "random":
            search = RandomSearchCV(ZeroCostRegressor(), RANDOM_SPACE, **common)
        else:
            search = BayesSearchCV(ZeroCostRegressor(), GP_SPACE, **common)
        if trace:
            tracemalloc.start()
        start = time.perf_counter()
        search.fit(X, y)
        wall = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] if trace else float("nan")
        tracemalloc.stop()
        size = checkpoint.stat().st_size
    return {
        "wall": wall,
        "peak_traced_mb": peak / MB,
        "checkpoint_kb": size / 1024,
        "n_batches": search.n_iter_,
        "rows": rows,
    }


def windows(rows: list[dict], width: int) -> list[dict]:
    """Per window of ``width`` candidates: ms per candidate and the memory at
    its end."""
    out, start_elapsed, start_n = [], 0.0, 0
    for row in rows:
        if row["n"] - start_n >= width or row is rows[-1]:
            n = row["n"] - start_n
            out.append({**row, "ms": 1000 * (row["elapsed"] - start_elapsed) / n})
            start_elapsed, start_n = row["elapsed"], row["n"]
    return out


def part_load(args: argparse.Namespace) -> None:
    configs = [
        ("random", args.random, args.n_jobs, False),
        ("random", args.random, 1, True),
        ("gp", args.gp, args.n_jobs, True),
    ]
    for kind, n, n_jobs, trace in configs:
        command = [sys.executable, __file__, "--child-load", kind, str(n)]
        command += ["--n-jobs", str(n_jobs), "--folds", str(args.folds)]
        command += ["--trace"] if trace else []
        result = json.loads(subprocess.check_output(command))
        print_load(result, kind, n, n_jobs, args.folds, trace)


def print_load(
    result: dict, kind: str, n: int, n_jobs: int, folds: int, trace: bool
) -> None:
    """The table of one load run (windows of 1,000 random or 100 GP
    candidates)."""
    table = windows(result["rows"], 1000 if kind == "random" else 100)
    print(
        f"\n### {kind}: {n} candidates x {folds} folds, n_jobs={n_jobs}, "
        f"checkpoint, tracemalloc {'on' if trace else 'off'}\n"
    )
    print(
        f"wall {result['wall']:.1f} s, {result['n_batches']} batches, "
        f"{1000 * result['wall'] / n:.1f} ms per candidate; tracemalloc "
        f"peak {result['peak_traced_mb']:.1f} MB; checkpoint "
        f"{result['checkpoint_kb']:.0f} KB\n"
    )
    print("| candidates | ms per candidate | tracemalloc MB | RSS MB | "
          "workers' RSS MB |")  # fmt: skip
    print("| --- | --- | --- | --- | --- |")
    for w in table:
        print(
            f"| {w['n']} | {w['ms']:.2f} | {w['traced_mb']:.1f} | "
            f"{w['rss_mb']:.0f} | {w['workers_mb']:.0f} |"
        )


# -- 2. concurrent -------------------------------------------------------------------
def concurrent_searches(directory: Path) -> list[Any]:
    space = {"alpha": Real(1e-3, 1e3, log=True), "fit_intercept": [True, False]}
    common = {"n_iter": 30, "cv": 5}
    return [
        HyperSearchCV(Ridge(), space, generator="random", random_state=0, **common),
        HyperSearchCV(Ridge(), space, generator="sobol", random_state=1,
                      checkpoint=directory / "sobol.ckpt", **common),
        BayesSearchCV(Ridge(), space, random_state=2, fit_timeout=30, **common),
        BayesSearchCV(Ridge(), space, random_state=3, fit_timeout=30,
                      checkpoint=directory / "gp.ckpt", **common),
    ]  # fmt: skip


def summary(search: Any) -> dict:
    results = search.cv_results_
    return {
        "params": [repr(sorted(p.items())) for p in results["params"]],
        **{
            k: np.asarray(v, dtype=float).tolist()
            for k, v in results.items()
            if "test_score" in k
        },
    }


def concurrent_child(index: int, directory: str) -> dict:
    X, y = load_diabetes(return_X_y=True)
    return summary(concurrent_searches(Path(directory))[index].fit(X, y))


def part_concurrent(args: argparse.Namespace) -> None:
    X, y = load_diabetes(return_X_y=True)
    timings, outcomes = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("alone", "threads", "processes"):
            (root / name).mkdir()
        start = time.perf_counter()
        outcomes["alone"] = [
            summary(s.fit(X, y)) for s in concurrent_searches(root / "alone")
        ]
        timings["alone"] = time.perf_counter() - start

        searches = concurrent_searches(root / "threads")
        threads = [threading.Thread(target=s.fit, args=(X, y)) for s in searches]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        timings["threads"] = time.perf_counter() - start
        outcomes["threads"] = [summary(s) for s in searches]

        start = time.perf_counter()
        processes = [
            subprocess.Popen(
                [
                    sys.executable,
                    __file__,
                    "--child-concurrent",
                    str(i),
                    str(root / "processes"),
                ],
                stdout=subprocess.PIPE,
            )
            for i in range(4)
        ]
        outcomes["processes"] = [json.loads(p.communicate()[0]) for p in processes]
        timings["processes"] = time.perf_counter() - start
    print("\n| four searches (30 candidates x 5 folds each) | wall s | "
          "results identical to alone |")  # fmt: skip
    print("| --- | --- | --- |")
    for name in ("alone", "threads", "processes"):
        same = outcomes[name] == outcomes["alone"]
        label = {"alone": "one after the other", "threads": "at once, 4 threads",
                 "processes": "at once, 4 processes"}[name]  # fmt: skip
        print(f"| {label} | {timings[name]:.1f} | {'yes' if same else 'NO'} |")


# -- 3. fit_timeout overhead -----------------------------------------------------------
def part_timeout(args: argparse.Namespace) -> None:
    X, y = zero_cost_data()
    n, folds = args.timeout_candidates, 5
    variants = {
        "n_jobs=1 (SIGALRM timer)": ("sequential", 1),
        "loky, n_jobs=2 (timer in each worker)": ("loky", 2),
        "threading, n_jobs=2 (watchdog thread per fit)": ("threading", 2),
    }
    print(f"\n{n} candidates x {folds} folds of a zero-cost estimator, random "
          f"search in one batch, {args.repeats} alternated repeats\n")  # fmt: skip
    print("| backend | fit_timeout=None median s | fit_timeout=60 median s | "
          "ratio | overhead per fit (µs) |")  # fmt: skip
    print("| --- | --- | --- | --- | --- |")
    for label, (backend, n_jobs) in variants.items():
        times: dict[Any, list[float]] = {None: [], 60: []}
        for repeat in range(args.repeats + 1):  # the first run warms up
            for timeout in (None, 60):
                search = RandomSearchCV(
                    ZeroCostRegressor(), RANDOM_SPACE, n_iter=n, cv=KFold(folds),
                    n_jobs=n_jobs, random_state=repeat, fit_timeout=timeout,
                    refit=False,
                )  # fmt: skip
                with parallel_backend(backend, n_jobs=n_jobs):
                    start = time.perf_counter()
                    search.fit(X, y)
                    elapsed = time.perf_counter() - start
                if repeat:
                    times[timeout].append(elapsed)
        plain, limited = statistics.median(times[None]), statistics.median(times[60])
        per_fit = 1e6 * (limited - plain) / (n * folds)
        print(f"| {label} | {plain:.2f} | {limited:.2f} | {limited / plain:.2f} | "
              f"{per_fit:.0f} |")  # fmt: skip


def part_mechanism(args: argparse.Namespace) -> None:
    """The cost of the time limit itself: a no-op task called directly and
    through ``with_time_limit``, in the main thread (SIGALRM timer) and in
    another thread (watchdog thread), median over alternated repeats."""
    from skhyper.search._timeout import with_time_limit

    def noop(*args: Any, **kwargs: Any) -> dict:
        return {}

    calls = 2000

    def timed(limited: bool) -> float:
        start = time.perf_counter()
        for _ in range(calls):
            if limited:
                with_time_limit(noop, 60.0, error_score=np.nan)
            else:
                noop(error_score=np.nan)
        return time.perf_counter() - start

    def in_thread(limited: bool) -> float:
        out: list[float] = []
        thread = threading.Thread(target=lambda: out.append(timed(limited)))
        thread.start()
        thread.join()
        return out[0]

    print(f"\nA no-op task, {calls} calls, median of {args.repeats} alternated "
          "repeats\n")  # fmt: skip
    print("| where | direct µs per call | with fit_timeout µs per call | "
          "cost per fit µs |")  # fmt: skip
    print("| --- | --- | --- | --- |")
    for label, run in (("main thread (SIGALRM timer)", timed),
                       ("another thread (watchdog thread)", in_thread)):  # fmt: skip
        plain, limited = [], []
        for _ in range(args.repeats):
            plain.append(run(False))
            limited.append(run(True))
        a = 1e6 * statistics.median(plain) / calls
        b = 1e6 * statistics.median(limited) / calls
        print(f"| {label} | {a:.1f} | {b:.1f} | {b - a:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="load,concurrent,timeout")
    parser.add_argument("--random", type=int, default=10000)
    parser.add_argument("--gp", type=int, default=1000)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--timeout-candidates", type=int, default=300)
    parser.add_argument("--child-load", nargs=2)
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--rows-file", default=None)
    parser.add_argument(
        "--print-load",
        metavar="JSON",
        help="print the table of a --child-load output (with its options)",
    )
    parser.add_argument("--child-concurrent", nargs=2)
    args = parser.parse_args()
    if args.child_load and not args.print_load:
        kind, n = args.child_load
        result = load_run(
            kind,
            int(n),
            args.n_jobs,
            args.folds,
            args.trace,
            args.batch_size,
            args.rows_file,
        )
        print(json.dumps(result))
        return
    if args.print_load:
        kind, n = args.child_load or ("random", args.random)
        result = json.loads(Path(args.print_load).read_text())
        print_load(result, kind, int(n), args.n_jobs, args.folds, args.trace)
        return
    if args.child_concurrent:
        index, directory = args.child_concurrent
        print(json.dumps(concurrent_child(int(index), directory)))
        return
    print(
        f"# python {platform.python_version()}, scikit-learn {sklearn.__version__}, "
        f"numpy {np.__version__}, skhyper {skhyper.__version__}, "
        f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}, "
        f"{os.cpu_count()} cores, load average "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    parts = args.parts.split(",")
    if "load" in parts:
        part_load(args)
    if "concurrent" in parts:
        part_concurrent(args)
    if "timeout" in parts:
        part_mechanism(args)
        part_timeout(args)


if __name__ == "__main__":
    main()
