"""Parallel speed-up: BayesSearchCV with n_jobs=2 against n_jobs=1.

A real task (a random forest on the digits data, 5-fold CV) with the
same n_iter and seed; the runs alternate so machine noise hits both alike.
Prints wall times, their ratio and the best scores. With n_jobs=2 the
default batch holds 2 candidates (10 fits keep 2 workers busy).

Also prints the fit work (the sum of every fit's and scoring's own time
from ``cv_results_``): with the default batch size, n_jobs=2 asks 2
candidates per batch and n_jobs=1 one, so the two runs evaluate different
candidates whose fits may cost differently. ``--batch-size 2`` gives both
runs the same batches, hence the same candidates, and isolates the
parallel speed-up.

Run: python benchmarks/parallel_speedup.py [--n-iter 30] [--repeats 3]
     [--n-estimators 60] [--batch-size N]  (fit cost: about 0.15 s per fit
     at 60 trees, 0.5 s at 200)
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import sklearn
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score

import skhyper
from skhyper import BayesSearchCV, Integer, Real


def hardware_ceiling(X, y, n_estimators: int, repeats: int) -> float:
    """The speed-up of the same forest's 10-fold ``cross_val_score`` with
    n_jobs=2: what the machine gives to two workers at the moment."""
    times: dict[int, list[float]] = {1: [], 2: []}
    for repeat in range(repeats):
        for n_jobs in (1, 2) if repeat % 2 == 0 else (2, 1):
            forest = RandomForestClassifier(n_estimators, random_state=0)
            start = time.perf_counter()
            cross_val_score(forest, X, y, cv=10, n_jobs=n_jobs)
            times[n_jobs].append(time.perf_counter() - start)
    return statistics.median(times[1]) / statistics.median(times[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-iter", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--n-estimators", type=int, default=60)
    parser.add_argument("--batch-size", type=int, default=None)
    args = parser.parse_args()

    X, y = load_digits(return_X_y=True)
    space = {
        "max_depth": Integer(2, 30),
        "min_samples_leaf": Integer(1, 20, log=True),
        "max_features": Real(0.05, 1.0, log=True),
        "n_estimators": args.n_estimators,
    }
    times: dict[int, list[float]] = {1: [], 2: []}
    scores: dict[int, list[float]] = {1: [], 2: []}
    work: dict[int, list[float]] = {1: [], 2: []}
    for repeat in range(args.repeats):
        for n_jobs in (1, 2) if repeat % 2 == 0 else (2, 1):
            search = BayesSearchCV(
                RandomForestClassifier(random_state=0),
                space,
                n_iter=args.n_iter,
                cv=StratifiedKFold(5),
                n_jobs=n_jobs,
                batch_size=args.batch_size,
                random_state=repeat,
            )
            start = time.perf_counter()
            search.fit(X, y)
            times[n_jobs].append(time.perf_counter() - start)
            scores[n_jobs].append(search.best_score_)
            results = search.cv_results_
            per_candidate = results["mean_fit_time"] + results["mean_score_time"]
            work[n_jobs].append(float(per_candidate.sum()) * search.n_splits_)

    print(
        f"# BayesSearchCV, random forest ({args.n_estimators} trees) on digits "
        f"({X.shape[0]} samples), 5-fold CV, "
        f"n_iter={args.n_iter}, batch_size={args.batch_size}, "
        f"{args.repeats} alternated repeats (seed = repeat)"
    )
    print(
        f"# python {platform.python_version()}, scikit-learn {sklearn.__version__}, "
        f"skhyper {skhyper.__version__}"
    )
    print(
        "| n_jobs | median wall s | runs s | fit work per run s "
        "| best CV accuracy per run |"
    )
    print("| --- | --- | --- | --- | --- |")
    for n_jobs in (1, 2):
        runs = ", ".join(f"{t:.1f}" for t in times[n_jobs])
        fits = ", ".join(f"{t:.1f}" for t in work[n_jobs])
        best = ", ".join(f"{s:.4f}" for s in scores[n_jobs])
        print(
            f"| {n_jobs} | {statistics.median(times[n_jobs]):.1f} | {runs} "
            f"| {fits} | {best} |"
        )
    speedup = statistics.median(times[1]) / statistics.median(times[2])
    ceiling = hardware_ceiling(X, y, args.n_estimators, args.repeats)
    print(f"\nspeed-up n_jobs=2 vs 1 (medians): {speedup:.2f}x (target >= 1.7)")
    print(
        f"hardware ceiling right after (10-fold cross_val_score of the same "
        f"forest, n_jobs=2 vs 1, medians): {ceiling:.2f}x"
    )
    efficiency = [w / (2 * t) for w, t in zip(work[2], times[2], strict=True)]
    print(
        "n_jobs=2 efficiency (fit work / (2 x wall)), per run: "
        + ", ".join(f"{e:.2f}" for e in efficiency)
    )


if __name__ == "__main__":
    main()
