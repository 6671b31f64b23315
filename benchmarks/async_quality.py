"""Quality at an equal number of evaluations: asynchronous, batch, sequential.

A GP search (``BayesSearchCV``'s default generator) minimizes the synthetic
functions of ``functions.py`` through an estimator whose score is minus the
function and whose ``fit`` sleeps a lognormal time (median ``--median``
seconds, sigma 1), so fits finish out of order. Three ways to spend the same
``--n-evals`` evaluations: sequential (``n_jobs=1``, one candidate per
iteration, the most informed), batch (``--workers`` threads, batches sized
to fill them) and asynchronous (``--workers`` threads). Prints the median
simple regret (best value found minus the optimum) over ``--seeds`` seeds
and each mode's ratio to sequential.

Run: python benchmarks/async_quality.py [--seeds 5] [--n-evals 50]
     [--workers 8] [--functions branin hartmann3 hartmann6 rosenbrock4]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
import zlib

import joblib
import numpy as np
import sklearn
from sklearn.base import BaseEstimator, RegressorMixin

import skhyper
from skhyper import BayesSearchCV, Real

try:
    from benchmarks.functions import FUNCTIONS
except ImportError:  # run as a script from benchmarks/
    from functions import FUNCTIONS

NAMES = [f"x{i}" for i in range(6)]
MODES = {
    "sequential": dict(n_jobs=1, asynchronous=False),
    "batch": dict(asynchronous=False),
    "async": dict(asynchronous=True),
}


class SleepingObjective(RegressorMixin, BaseEstimator):
    """Scores minus ``function`` at its first ``dim`` parameters; ``fit``
    sleeps a lognormal time drawn from its parameters and fold."""

    def __init__(
        self, x0=0.0, x1=0.0, x2=0.0, x3=0.0, x4=0.0, x5=0.0, function="", median=0.02
    ):
        self.x0, self.x1, self.x2 = x0, x1, x2
        self.x3, self.x4, self.x5 = x3, x4, x5
        self.function = function
        self.median = median

    def _point(self) -> list[float]:
        f = FUNCTIONS[self.function]
        return [getattr(self, name) for name in NAMES[: f.dim]]

    def fit(self, X, y):
        key = repr((self._point(), float(np.sum(X)))).encode()
        rng = np.random.default_rng(zlib.crc32(key))
        time.sleep(self.median * rng.lognormal(0.0, 1.0))
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y):
        return -FUNCTIONS[self.function](self._point())


def run_one(name, mode, seed, args):
    f = FUNCTIONS[name]
    space = {
        n: Real(lo, hi) for n, (lo, hi) in zip(NAMES[: f.dim], f.bounds, strict=True)
    }
    options = {"n_jobs": args.workers, **MODES[mode]}
    search = BayesSearchCV(
        SleepingObjective(function=name, median=args.median),
        space,
        n_iter=args.n_evals,
        cv=2,
        refit=False,
        random_state=seed,
        progress_bar=False,
        **options,
    )
    X, y = np.arange(20.0).reshape(-1, 1), np.zeros(20)
    with joblib.parallel_config(backend="threading"):
        search.fit(X, y)
    best = -float(np.max(search.cv_results_["mean_test_score"]))
    return best - f.optimum


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--n-evals", type=int, default=50)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--median", type=float, default=0.1)
    parser.add_argument("--functions", nargs="+", default=list(FUNCTIONS))
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=list(MODES))
    parser.add_argument("--out", default=None, help="write the regrets as JSON")
    args = parser.parse_args()

    regrets: dict[str, dict[str, list[float]]] = {}
    for name in args.functions:
        regrets[name] = {mode: [] for mode in args.modes}
        for seed in range(args.seeds):
            order = args.modes if seed % 2 == 0 else args.modes[::-1]
            for mode in order:
                regret = run_one(name, mode, seed, args)
                regrets[name][mode].append(regret)
                print(json.dumps([name, mode, seed, regret]), flush=True)
    print(
        f"\nskhyper {skhyper.__version__}, scikit-learn {sklearn.__version__}, "
        f"joblib {joblib.__version__}, Python {platform.python_version()}; "
        f"{args.n_evals} evaluations, {args.seeds} seeds, batch and async on "
        f"{args.workers} threads, cv=2, fits sleep lognormal(median "
        f"{args.median} s, sigma 1)\n"
    )
    print(
        "| function | sequential | batch | async | batch / sequential | "
        "async / sequential |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, by_mode in regrets.items():
        med = {mode: float("nan") for mode in MODES}
        med.update({mode: statistics.median(v) for mode, v in by_mode.items()})
        seq = med["sequential"]
        ratio = {m: (med[m] / seq if seq > 0 else float("nan")) for m in med}
        print(
            f"| {name} | {seq:.3g} | {med['batch']:.3g} | {med['async']:.3g} | "
            f"{ratio['batch']:.2f} | {ratio['async']:.2f} |"
        )
    if args.out:
        with open(args.out, "w") as out:
            json.dump(regrets, out, indent=1)


if __name__ == "__main__":
    main()
