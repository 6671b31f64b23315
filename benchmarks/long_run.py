"""Long runs: a 2,000-candidate random search and a 300-candidate GP search.

The estimator costs nothing, so every second and byte is the search's own.
Each configuration runs in a fresh process; the script reports its wall
time, the milliseconds per candidate in consecutive windows (to show
whether the cost per candidate grows over the run), the growth of the
process's peak resident memory (``ru_maxrss``) during the search, the peak
of Python allocations (``tracemalloc``, in a second run of its own since
tracing slows the search down), the size of the checkpoint, and how long a
fit takes to resume from a finished or half-finished checkpoint.

Run: python benchmarks/long_run.py [--random 2000] [--gp 300] [--repeats 3]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from statistics import median
from typing import Any

import numpy as np
import sklearn
from scipy.stats import loguniform, randint
from sklearn.model_selection import KFold

import skhyper
from skhyper import BayesSearchCV, Integer, RandomSearchCV, Real

try:
    from benchmarks._zero_cost import ZeroCostRegressor, zero_cost_data
except ImportError:  # run as a script from benchmarks/
    from _zero_cost import ZeroCostRegressor, zero_cost_data

RANDOM_SPACE = {"a": loguniform(1e-3, 1e3), "b": randint(0, 10), "c": ["x", "y"]}
GP_SPACE = {"a": Real(1e-3, 1e3, log=True), "b": Integer(0, 10), "c": ["x", "y"]}

#: name -> (kind, options); the searches the script compares.
CONFIGS: dict[str, tuple[str, dict[str, Any]]] = {
    "random, one batch (default)": ("random", {}),
    "random, checkpoint (20 batches)": ("random", {"checkpoint": True}),
    "random, batch_size=10": ("random", {"batch_size": 10}),
    "gp, batch_size=1 (default, n_jobs=1)": ("gp", {}),
    "gp, checkpoint": ("gp", {"checkpoint": True}),
}


def make_search(
    kind: str,
    n_iter: int,
    folds: int = 5,
    checkpoint: str | os.PathLike | None = None,
    **options: Any,
):
    """The long-run search of ``kind`` ("random" or "gp")."""
    common = {
        "n_iter": n_iter,
        "cv": KFold(folds),
        "random_state": 0,
        "checkpoint": checkpoint,
        **options,
    }
    if kind == "random":
        return RandomSearchCV(ZeroCostRegressor(), RANDOM_SPACE, **common)
    return BayesSearchCV(ZeroCostRegressor(), GP_SPACE, **common)


class Marks:
    """A stopping callback that never stops: (candidates done, seconds)
    after each batch."""

    def __init__(self) -> None:
        self.marks: list[tuple[int, float]] = []

    def __call__(self, state) -> None:
        self.marks.append((state.n_evaluated, state.elapsed))


def window_ms(marks: list[tuple[int, float]], window: int) -> list[float]:
    """Milliseconds per candidate in consecutive windows of ``window``
    candidates, where batch ends fall on the window edges."""
    at = dict(marks)
    at.setdefault(0, 0.0)
    edges = [n for n in range(0, max(at) + 1, window) if n in at]
    if len(edges) < 3:
        return []
    return [1000 * (at[b] - at[a]) / (b - a) for a, b in itertools.pairwise(edges)]


def max_rss_mb() -> float:
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / (1024 if sys.platform == "darwin" else 1)


def run_one(name: str, n_iter: int, folds: int, trace: bool) -> dict[str, Any]:
    """One configuration in this process (a fresh one, for ru_maxrss)."""
    kind, options = CONFIGS[name]
    X, y = zero_cost_data()
    marks = Marks()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "search.ckpt" if options.get("checkpoint") else None
        search = make_search(
            kind,
            n_iter,
            folds,
            checkpoint=path,
            callbacks=marks,
            **{k: v for k, v in options.items() if k != "checkpoint"},
        )
        rss_before = max_rss_mb()
        if trace:
            tracemalloc.start()
        start = time.perf_counter()
        search.fit(X, y)
        wall = time.perf_counter() - start
        result: dict[str, Any] = {"wall": wall, "marks": marks.marks}
        if trace:
            result["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            return result
        result["rss_growth_mb"] = max_rss_mb() - rss_before
        result["n_candidates"] = len(search.cv_results_["params"])
        if path is not None:
            result["checkpoint_kb"] = path.stat().st_size / 1024
            result.update(resume_times(kind, n_iter, folds, path, X, y))
    return result


def resume_times(kind, n_iter, folds, path, X, y) -> dict[str, float]:
    """Seconds to fit again from the finished checkpoint (nothing left to
    evaluate), and to resume at half of it up to its end (the replay re-asks
    the generator for every recorded batch)."""
    start = time.perf_counter()
    make_search(kind, n_iter, folds, checkpoint=path).fit(X, y)
    finished = time.perf_counter() - start
    half = path.with_name("half.ckpt")
    make_search(kind, n_iter // 2, folds, checkpoint=half).fit(X, y)
    marks = Marks()
    start = time.perf_counter()
    make_search(kind, n_iter, folds, checkpoint=half, callbacks=marks).fit(X, y)
    return {
        "resume_finished_s": finished,
        "resume_half_first_batch_s": marks.marks[0][1],
        "resume_half_total_s": time.perf_counter() - start,
    }


def in_fresh_process(name: str, args: argparse.Namespace, trace: bool) -> dict:
    n_iter = args.random if CONFIGS[name][0] == "random" else args.gp
    command = [
        sys.executable,
        __file__,
        "--single",
        name,
        "--n-iter",
        str(n_iter),
        "--folds",
        str(args.folds),
    ] + (["--trace"] if trace else [])
    root = str(Path(__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    output = subprocess.run(
        command, capture_output=True, text=True, env=env, check=True
    )
    return json.loads(output.stdout.splitlines()[-1])


def fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.1f}" for v in values) if values else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--random", type=int, default=2000)
    parser.add_argument("--gp", type=int, default=300)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--configs", nargs="*", default=list(CONFIGS))
    parser.add_argument("--single", help=argparse.SUPPRESS)
    parser.add_argument("--n-iter", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.single:
        print(json.dumps(run_one(args.single, args.n_iter, args.folds, args.trace)))
        return

    print(
        f"# Long runs: random search of {args.random} and GP search of {args.gp} "
        f"candidates x {args.folds} folds, zero-cost estimator, n_jobs=1; "
        f"medians of {args.repeats} alternated repeats, each in a fresh process "
        "(peak RSS growth: the largest; tracemalloc: one more traced run)"
    )
    print(
        f"# python {platform.python_version()}, scikit-learn {sklearn.__version__}, "
        f"numpy {np.__version__}, skhyper {skhyper.__version__}, "
        f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}"
    )
    plain: dict[str, list[dict]] = {name: [] for name in args.configs}
    for repeat in range(args.repeats):
        shift = repeat % len(args.configs)
        for name in args.configs[shift:] + args.configs[:shift]:
            plain[name].append(in_fresh_process(name, args, trace=False))
    rows, resumes = [], []
    for name in args.configs:
        runs = plain[name]
        traced = in_fresh_process(name, args, trace=True)
        n = runs[0]["n_candidates"]
        window = 100 if CONFIGS[name][0] == "random" else 50
        wall = median([r["wall"] for r in runs])
        windows = [window_ms(r["marks"], window) for r in runs]
        by_window = [median(w) for w in zip(*windows, strict=True)]
        rows.append(
            f"| {name} | {n} | {wall:.2f} | {1000 * wall / n:.1f} "
            f"| {fmt(by_window)} | {max(r['rss_growth_mb'] for r in runs):.1f} | "
            f"{traced['traced_peak_mb']:.1f} | "
            f"{runs[0].get('checkpoint_kb', 0):.0f} |"
        )
        if "resume_finished_s" in runs[0]:
            resumes.append(
                f"| {name} | "
                + " | ".join(
                    f"{median([r[key] for r in runs]):.2f}"
                    for key in (
                        "resume_finished_s",
                        "resume_half_first_batch_s",
                        "resume_half_total_s",
                    )
                )
                + " |"
            )
    print(
        "| search | candidates | wall s | ms per candidate | ms per candidate "
        "by window (100 random, 50 GP) | peak RSS growth MB | tracemalloc peak MB "
        "| checkpoint KB |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    if resumes:
        print()
        print(
            "| checkpointed search | fit again, finished checkpoint s | resume at "
            "half: until the first new batch s | resume at half: total s |"
        )
        print("| --- | --- | --- | --- |")
        print("\n".join(resumes))


if __name__ == "__main__":
    main()
