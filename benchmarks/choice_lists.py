"""Cost of a GP ask on long ordered numeric choice lists against Integer.

Issue 10: an ordered numeric list or ``range`` of any length must cost a GP
ask about what the equivalent ``Integer`` (or ``Real``) costs. For ``range``s
of 10, 10^3 and 10^5 values (and a list of 10^5 floats against ``Real``),
the script runs the same ask/tell loop (``GPGenerator``, one candidate per
ask, a smooth objective) on the list and on the dimension of the same span,
alternating them within each repeat, and prints the median time per ask
after the initial design and the ratio list / dimension. It also times two
whole searches that were slow before: ``BayesSearchCV`` with
``{"depth": range(1, 2000)}`` and ``n_iter=12`` (zero-cost estimator) and
``skhyper.minimize`` over ``range(1, 20000)`` with 20 calls.

Run:
    OMP_NUM_THREADS=1 python benchmarks/choice_lists.py [--asks 30] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin

from skhyper import BayesSearchCV, GPGenerator, Integer, Real, minimize


def _objective(value: float, span: float) -> float:
    x = value / span
    return -((x - 0.37) ** 2) + 0.05 * np.cos(25 * x)


def time_per_ask(dimension, span: float, n_asks: int, seed: int) -> float:
    """Median seconds per ask once the model proposes (after the design)."""
    gen = GPGenerator().start({"v": dimension}, random_state=seed)
    times = []
    for _ in range(n_asks):
        if gen.exhausted:  # a range of 10 values
            break
        start = time.perf_counter()
        (candidate,) = gen.ask(1)
        elapsed = time.perf_counter() - start
        gen.tell([candidate], [_objective(candidate["v"], span)])
        if gen.n_asked_ > gen.n_initial_points_:
            times.append(elapsed)
    return statistics.median(times)


class DepthRegressor(RegressorMixin, BaseEstimator):
    """Zero-cost: its score is a smooth function of ``depth``."""

    def __init__(self, depth=1):
        self.depth = depth

    def fit(self, X, y=None):
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y=None):
        return _objective(self.depth, 2000)


def time_search(space, seed: int) -> float:
    X = np.zeros((30, 1))
    start = time.perf_counter()
    BayesSearchCV(
        DepthRegressor(), space, n_iter=12, cv=3, random_state=seed, progress_bar=False
    ).fit(X)
    return time.perf_counter() - start


def time_minimize(space, seed: int) -> float:
    start = time.perf_counter()
    minimize(lambda v: -_objective(v, 20000), space, n_calls=20, random_state=seed)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--asks", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    cases = [
        (f"range of {n:,}", range(1, n + 1), Integer(1, n), n)
        for n in (10, 1_000, 100_000)
    ]
    floats = np.linspace(0.0, 1e5, 100_000).tolist()
    cases.append(("list of 100,000 floats", floats, Real(0.0, 1e5), 1e5))

    print(f"GPGenerator, {args.asks} asks of 1, median ms per ask after the design")
    print(f"(median over {args.repeats} repeats, list and dimension alternating)\n")
    print("| choices | list ms/ask | dimension | dimension ms/ask | ratio |")
    print("| --- | --- | --- | --- | --- |")
    for label, choices, dimension, span in cases:
        ours, theirs = [], []
        for seed in range(args.repeats):
            ours.append(time_per_ask(choices, span, args.asks, seed))
            theirs.append(time_per_ask(dimension, span, args.asks, seed))
        a, b = statistics.median(ours), statistics.median(theirs)
        print(
            f"| {label} | {a * 1e3:.2f} | {dimension!r} | {b * 1e3:.2f} | {a / b:.2f} |"
        )

    print("\nWhole searches, median seconds over the repeats:\n")
    print("| search | list | dimension | ratio |")
    print("| --- | --- | --- | --- |")
    rows = [
        (
            "BayesSearchCV n_iter=12, depth in range(1, 2000)",
            lambda s: time_search({"depth": range(1, 2000)}, s),
            lambda s: time_search({"depth": Integer(1, 1999)}, s),
        ),
        (
            "minimize 20 calls, v in range(1, 20000)",
            lambda s: time_minimize({"v": range(1, 20000)}, s),
            lambda s: time_minimize({"v": Integer(1, 19999)}, s),
        ),
    ]
    for label, on_list, on_dimension in rows:
        ours = [on_list(seed) for seed in range(args.repeats)]
        theirs = [on_dimension(seed) for seed in range(args.repeats)]
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"| {label} | {a:.2f} | {b:.2f} | {a / b:.2f} |")


if __name__ == "__main__":
    main()
