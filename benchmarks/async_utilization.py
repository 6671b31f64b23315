"""Worker utilization: asynchronous against batch evaluation, side by side.

A GP search (the default ``GPGenerator`` of ``BayesSearchCV``) tunes an
estimator whose ``fit`` sleeps a lognormal time (median ``--median``
seconds, ``sigma`` per run) and whose score is minus Hartmann-6 at its
parameters, so the GP has something to model. Sleeping fits let this
machine host many workers: joblib's threading backend with ``n_jobs``
threads, or with ``--dask`` a ``LocalCluster`` of worker processes.
Utilization is the sum of every fit's time (from ``cv_results_``) over
workers x the wall time of the search (``refit=False``, so the wall time is
the search itself). The modes alternate per setting so the noise of a
shared machine hits both alike. Also printed: the generator's own time
(asks and tells) in the search's thread, which runs while fits run in the
asynchronous mode and while workers wait in the batch mode; and the
ceiling: the utilization of the same fits, in a random order (median of
20), handed to the first free worker with no overhead at all (what the end
of the search, when workers run out of fits one by one, leaves to any
scheduler); and the steady utilization, from the start until the last
candidate was proposed (threading only). ``--generator random`` takes the
GP's cost out (batch mode then gets the batches the GP would ask), leaving
the scheduling alone.

Run: python benchmarks/async_utilization.py --workers 8 32 128 --sigmas 0.5 1
     [--median 1.0] [--fits-per-worker 6] [--cv 2] [--modes async batch]
     [--dask PROCESSES]  (threads per process = workers / PROCESSES)
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import platform
import time
import zlib

import joblib
import numpy as np
import sklearn
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.model_selection import KFold

import skhyper
from skhyper import HyperSearchCV, Real
from skhyper.generators import GPGenerator, RandomGenerator
from skhyper.search._loop import balanced_batch_size

try:
    from benchmarks.functions import FUNCTIONS
except ImportError:  # run as a script from benchmarks/
    from functions import FUNCTIONS

HARTMANN6 = FUNCTIONS["hartmann6"]
NAMES = [f"x{i}" for i in range(6)]


class SleepingRegressor(RegressorMixin, BaseEstimator):
    """``fit`` sleeps a lognormal time; the score is minus Hartmann-6.

    The duration is drawn from a generator seeded by the parameters and the
    training fold, so it is random across fits but the same for a fit run
    again.
    """

    def __init__(
        self, x0=0.5, x1=0.5, x2=0.5, x3=0.5, x4=0.5, x5=0.5, median=1.0, sigma=1.0
    ):
        self.x0, self.x1, self.x2 = x0, x1, x2
        self.x3, self.x4, self.x5 = x3, x4, x5
        self.median = median
        self.sigma = sigma

    def _point(self) -> list[float]:
        return [getattr(self, name) for name in NAMES]

    def duration(self, X) -> float:
        key = repr((self._point(), float(np.sum(X)))).encode()
        rng = np.random.default_rng(zlib.crc32(key))
        return self.median * rng.lognormal(0.0, self.sigma)

    def fit(self, X, y):
        start = time.perf_counter()
        time.sleep(self.duration(X))
        FIT_LOG.append((start, time.perf_counter()))
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y):
        return -HARTMANN6(self._point())


#: (start, end) of every fit, when the fits run in this process (threads).
FIT_LOG: list[tuple[float, float]] = []


class Timed:
    """Times a generator's asks and tells; notes when the last ask ended."""

    def _start(self) -> None:
        super()._start()
        self.busy_s_ = 0.0
        self.last_ask_ = time.perf_counter()

    def ask(self, n=1):
        start = time.perf_counter()
        try:
            return super().ask(n)
        finally:
            self.last_ask_ = time.perf_counter()
            self.busy_s_ += self.last_ask_ - start

    def tell(self, candidates, scores):
        start = time.perf_counter()
        try:
            return super().tell(candidates, scores)
        finally:
            self.busy_s_ += time.perf_counter() - start


class TimedGP(Timed, GPGenerator):
    """The default GP generator, timed."""


class TimedRandom(Timed, RandomGenerator):
    """Random search, timed: proposals cost nothing, so what is measured is
    the scheduling alone."""


GENERATORS = {"gp": TimedGP, "random": TimedRandom}


def steady_utilization(n_workers: int, start: float, end: float) -> float:
    """Utilization from the start until the last candidate was proposed:
    what is left once the end of the search, when workers run out of fits,
    is set aside."""
    busy = sum(max(0.0, min(b, end) - max(a, start)) for a, b in FIT_LOG)
    return busy / (n_workers * (end - start))


def run_one(mode, n_workers, sigma, args, seed):
    n_iter = max(1, round(args.fits_per_worker * n_workers / args.cv))
    search = HyperSearchCV(
        SleepingRegressor(median=args.median, sigma=sigma),
        {name: Real(0.0, 1.0) for name in NAMES},
        generator=GENERATORS[args.generator](),
        n_iter=n_iter,
        cv=args.cv,
        n_jobs=n_workers,
        refit=False,
        random_state=seed,
        asynchronous=(mode == "async"),
        # Random search asks everything at once unless told otherwise: give
        # it the batches the GP would ask, to see what they cost.
        batch_size=(
            balanced_batch_size(n_workers, args.cv)
            if mode == "batch" and args.generator == "random"
            else None
        ),
        progress_bar=False,
    )
    X = np.arange(40, dtype=float).reshape(-1, 1)
    y = np.zeros(40)
    FIT_LOG.clear()
    start = time.perf_counter()
    search.fit(X, y)
    wall = time.perf_counter() - start
    last_ask = search.generator_.last_ask_
    results = search.cv_results_
    fit_s = float(np.sum(results["mean_fit_time"]) * args.cv)
    durations = []
    for params in results["params"]:
        estimator = SleepingRegressor(**params, median=args.median, sigma=sigma)
        durations += [
            estimator.duration(X[train]) for train, _ in KFold(args.cv).split(X)
        ]
    shuffles = np.random.default_rng(0)
    ideal = np.median(
        [list_schedule(shuffles.permutation(durations), n_workers) for _ in range(20)]
    )
    regret = float(-np.max(results["mean_test_score"]) - HARTMANN6.optimum)
    return {
        "mode": mode,
        "workers": n_workers,
        "sigma": sigma,
        "median": args.median,
        "cv": args.cv,
        "candidates": len(results["params"]),
        "iterations": int(search.n_iter_),
        "wall_s": wall,
        "fit_s": fit_s,
        "utilization": fit_s / (n_workers * wall),
        "ceiling": sum(durations) / (n_workers * ideal),
        "steady": (
            steady_utilization(n_workers, start, last_ask) if FIT_LOG else math.nan
        ),
        "generator": args.generator,
        "generator_s": float(search.generator_.busy_s_),
        "regret": regret,
    }


def list_schedule(durations: list[float], n_workers: int) -> float:
    """The makespan of these fits given in this order to the first free of
    ``n_workers`` workers, with no overhead: the best any scheduler that
    does not know durations in advance can hope for."""
    free = [0.0] * n_workers
    for duration in durations:
        heapq.heappush(free, heapq.heappop(free) + duration)
    return max(free)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[8, 32, 128])
    parser.add_argument("--sigmas", type=float, nargs="+", default=[0.5, 1.0])
    parser.add_argument("--median", type=float, default=1.0)
    parser.add_argument("--fits-per-worker", type=float, default=6)
    parser.add_argument("--cv", type=int, default=2)
    parser.add_argument("--modes", nargs="+", default=["async", "batch"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--generator", choices=sorted(GENERATORS), default="gp")
    parser.add_argument(
        "--dask",
        type=int,
        default=0,
        metavar="PROCESSES",
        help="run on a dask LocalCluster of this many worker processes",
    )
    parser.add_argument("--out", default=None, help="write the rows as JSON")
    args = parser.parse_args()

    rows = []
    for n_workers in args.workers:
        for k, sigma in enumerate(args.sigmas):
            modes = args.modes if k % 2 == 0 else args.modes[::-1]
            for mode in modes:
                if args.dask:
                    row = run_on_dask(mode, n_workers, sigma, args)
                else:
                    with joblib.parallel_config(backend="threading"):
                        row = run_one(mode, n_workers, sigma, args, args.seed)
                rows.append(row)
                print(json.dumps(row), flush=True)
    print_table(rows, args)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(rows, f, indent=1)


def run_on_dask(mode, n_workers, sigma, args):
    from distributed import Client, LocalCluster

    threads = max(1, n_workers // args.dask)
    with (
        LocalCluster(
            n_workers=args.dask,
            threads_per_worker=threads,
            processes=True,
            dashboard_address=None,
        ) as cluster,
        Client(cluster),
        joblib.parallel_config(backend="dask"),
    ):
        row = run_one(mode, args.dask * threads, sigma, args, args.seed)
    row["backend"] = f"dask {args.dask} processes x {threads} threads"
    return row


def print_table(rows, args) -> None:
    backend = rows[0].get("backend", "threading") if rows else ""
    print(
        f"\nskhyper {skhyper.__version__}, scikit-learn {sklearn.__version__}, "
        f"joblib {joblib.__version__}, Python {platform.python_version()}; "
        f"backend {backend}; fits sleep lognormal(median {args.median} s, sigma); "
        f"cv={args.cv}; n_iter = {args.fits_per_worker} fits per worker / cv; "
        f"generator {args.generator}\n"
    )
    print(
        "| workers | sigma | mode | candidates | iterations | wall s | "
        "fit s | utilization | ceiling | steady | generator s | regret |"
    )
    print("|" + " ---: |" * 2 + " --- |" + " ---: |" * 9)
    for r in rows:
        print(
            f"| {r['workers']} | {r['sigma']:g} | {r['mode']} | {r['candidates']} | "
            f"{r['iterations']} | {r['wall_s']:.1f} | {r['fit_s']:.0f} | "
            f"{r['utilization']:.0%} | {r['ceiling']:.0%} | {r['steady']:.0%} | "
            f"{r['generator_s']:.1f} | {r['regret']:.3g} |"
        )


if __name__ == "__main__":
    main()
