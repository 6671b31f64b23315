"""Search overhead: skhyper's random search vs sklearn's RandomizedSearchCV.

A zero-cost estimator makes every second spent the search's own. Both
searches run the same number of candidates and folds, alternated in one
process so machine noise hits both alike; the script prints the median
time of each and their ratio.

Run: python benchmarks/overhead_random.py [--candidates 500] [--repeats 7]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import sklearn
from scipy.stats import loguniform, randint
from sklearn.model_selection import KFold, RandomizedSearchCV

import skhyper
from skhyper import RandomSearchCV

try:
    from benchmarks._zero_cost import ZeroCostRegressor, zero_cost_data
except ImportError:  # run as a script from benchmarks/
    from _zero_cost import ZeroCostRegressor, zero_cost_data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()

    X, y = zero_cost_data()
    space = {"a": loguniform(1e-3, 1e3), "b": randint(0, 10), "c": ["x", "y"]}
    cv = KFold(args.folds)
    searches = {
        "sklearn RandomizedSearchCV": lambda seed: RandomizedSearchCV(
            ZeroCostRegressor(),
            space,
            n_iter=args.candidates,
            cv=cv,
            random_state=seed,
        ),
        "skhyper RandomSearchCV": lambda seed: RandomSearchCV(
            ZeroCostRegressor(),
            space,
            n_iter=args.candidates,
            cv=cv,
            random_state=seed,
        ),
        "skhyper RandomSearchCV, batch_size=50": lambda seed: RandomSearchCV(
            ZeroCostRegressor(),
            space,
            n_iter=args.candidates,
            cv=cv,
            random_state=seed,
            batch_size=50,
        ),
    }
    times: dict[str, list[float]] = {name: [] for name in searches}
    for repeat in range(args.repeats):
        shift = repeat % len(searches)
        order = list(searches)[shift:] + list(searches)[:shift]
        for name in order:
            search = searches[name](repeat)
            start = time.perf_counter()
            search.fit(X, y)
            times[name].append(time.perf_counter() - start)
            assert len(search.cv_results_["params"]) == args.candidates

    print(
        f"# Overhead: {args.candidates} candidates x {args.folds} folds of a "
        f"zero-cost estimator, n_jobs=1, {args.repeats} alternated repeats"
    )
    print(
        f"# python {platform.python_version()}, scikit-learn {sklearn.__version__}, "
        f"skhyper {skhyper.__version__}"
    )
    print("| search | median s | min s | max s |")
    print("| --- | --- | --- | --- |")
    for name, values in times.items():
        print(
            f"| {name} | {statistics.median(values):.3f} | {min(values):.3f} "
            f"| {max(values):.3f} |"
        )
    reference = statistics.median(times["sklearn RandomizedSearchCV"])
    print()
    for name, values in times.items():
        if name.startswith("skhyper"):
            ratio = statistics.median(values) / reference
            print(f"ratio {name} / sklearn (medians): {ratio:.3f}")
    print("target for the default (one batch): <= 1.3")


if __name__ == "__main__":
    main()
