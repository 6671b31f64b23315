"""Parameters that only some choices use: one flat dict against sub-spaces.

scikit-optimize's minimal ``BayesSearchCV`` example tunes an SVC on digits
over one flat dict: ``C``, ``gamma``, ``degree`` and ``kernel`` in
``["linear", "poly", "rbf"]``. ``gamma`` means nothing to the linear kernel
and ``degree`` only matters to the polynomial one, yet a flat space makes
every candidate carry both, so a model of the scores sees score plateaus
along directions that only matter for other kernels. scikit-learn's own
``GridSearchCV`` documentation writes such spaces as a list of dicts, one per
kernel, each with only the parameters that kernel uses.

Side by side, same seeds, same ``n_iter=32`` and ``cv=3``, held-out 25%:

- ``scikit-optimize, flat``: the example as documented;
- ``skhyper.skopt, flat``: the same script, imports changed only;
- ``skhyper, sub-spaces``: ``skhyper.BayesSearchCV`` on the list of three
  dicts (scikit-optimize reads a list of spaces as separate searches, each
  with its own ``n_iter``, so it has no equivalent at the same budget).

Run in the benchmark env (benchmarks/setup_env.sh):

    nice env OMP_NUM_THREADS=1 python benchmarks/conditional_space.py --seeds 16
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

try:
    from benchmarks.skopt_examples import load_library, minimal
except ImportError:  # run as a script from benchmarks/
    from skopt_examples import load_library, minimal

METHODS = ["scikit-optimize, flat", "skhyper.skopt, flat", "skhyper, sub-spaces"]


def subspaces(seed: int):
    from skhyper import BayesSearchCV, Integer, Real

    X, y = load_digits(n_class=10, return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, train_size=0.75, test_size=0.25, random_state=0
    )
    C = Real(1e-6, 1e6, log=True)
    gamma = Real(1e-6, 1e1, log=True)
    space = [
        {"kernel": ["linear"], "C": C},
        {"kernel": ["poly"], "C": C, "gamma": gamma, "degree": Integer(1, 8)},
        {"kernel": ["rbf"], "C": C, "gamma": gamma},
    ]
    opt = BayesSearchCV(SVC(), space, n_iter=32, cv=3, random_state=seed)
    opt.fit(X_train, y_train)
    return opt, opt.score(X_test, y_test)


def run(method: str, seed: int) -> tuple[float, float, float]:
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "skhyper, sub-spaces":
            opt, held_out = subspaces(seed)
        else:
            library = method.split(",")[0]
            opt, held_out = minimal(load_library(library), seed, 1.0)
    return float(opt.best_score_), float(held_out), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=16)
    parser.add_argument("--methods", nargs="+", default=METHODS)
    args = parser.parse_args()
    results: dict[str, list[tuple[float, float, float]]] = {m: [] for m in args.methods}
    for seed in range(args.seeds):
        order = args.methods if seed % 2 == 0 else args.methods[::-1]
        for method in order:
            results[method].append(run(method, seed))
            best, held, wall = results[method][-1]
            print(
                f"seed {seed:2d} {method:22s} best CV {best:.4f} held-out "
                f"{held:.4f} {wall:5.1f} s",
                flush=True,
            )
    print(f"\n{args.seeds} seeds, n_iter=32, cv=3 (SVC on digits)\n")
    print(
        "| method | best CV median | mean | held-out median | mean | "
        "held-out >= 0.99 | wall s median |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for method, rows in results.items():
        best, held, wall = (np.array(c) for c in zip(*rows, strict=True))
        print(
            f"| {method} | {statistics.median(best):.4f} | {best.mean():.4f} | "
            f"{statistics.median(held):.4f} | {held.mean():.4f} | "
            f"{int(np.sum(held >= 0.99))}/{len(held)} | "
            f"{statistics.median(wall):.1f} |"
        )


if __name__ == "__main__":
    main()
