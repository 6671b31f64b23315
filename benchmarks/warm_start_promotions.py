"""What warm-started promotions save: one bracket, cold against warm.

``HalvingBayesSearchCV(warm_start_promotions=True)`` continues a promoted
candidate's fitted model of the rung before instead of fitting it again. On
the multi-fidelity benchmark's tasks whose resource is an estimator
parameter (``rf``: ``n_estimators`` 6 to 162; ``hgb``/``hgb-wide``:
``max_iter`` 9 to 243; issue scale), one bracket of 27, 9, 3 and 1
candidates (random candidates, the same for both, 3 folds), run cold and
warm in alternation, ``n_jobs`` as given:

- wall time of the bracket (median over the repeats) and the ratio;
- the largest difference in any candidate's mean CV score between the two
  (0 for a forest with an integer seed: the same trees).

Run (benchmark env, a free core):
    OMP_NUM_THREADS=1 python benchmarks/warm_start_promotions.py --repeats 3
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import numpy as np
import sklearn

import skhyper
from skhyper import HalvingBayesSearchCV

try:
    from benchmarks.multi_fidelity import FACTOR, N_CANDIDATES, _schedule, make_tasks
except ImportError:  # run as a script from benchmarks/
    from multi_fidelity import FACTOR, N_CANDIDATES, _schedule, make_tasks


def one_bracket(task, X, y, warm: bool, n_jobs: int, seed: int) -> tuple[float, dict]:
    low, high = _schedule(task, len(X))
    search = HalvingBayesSearchCV(
        task.make_estimator(),
        {d.name: d.skhyper() for d in task.dims},
        resource=task.resource,
        factor=FACTOR,
        min_resources=low,
        max_resources=high,
        n_candidates=N_CANDIDATES,
        generator="random",
        cv=task.cv(),
        refit=False,
        random_state=seed,
        n_jobs=n_jobs,
        return_train_score=False,
        progress_bar=False,
        warm_start_promotions=warm,
    )
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, y)
    return time.perf_counter() - start, search.cv_results_


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", nargs="+", default=["rf", "hgb"])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(
        f"scikit-learn {sklearn.__version__}, skhyper {skhyper.__version__}; "
        f"one bracket ({N_CANDIDATES} candidates, factor {FACTOR}), "
        f"n_jobs={args.n_jobs}, {args.repeats} alternated repeats, seed {args.seed}\n"
    )
    print(
        "| task | resource | cold s (median) | warm s (median) | warm / cold "
        "| largest score difference | cold runs | warm runs |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | --- | --- |")
    tasks = make_tasks("issue")
    for name in args.tasks:
        task = tasks[name]
        X, _, y, _ = task.data()
        times: dict[bool, list[float]] = {False: [], True: []}
        scores: dict[bool, np.ndarray] = {}
        for repeat in range(args.repeats):
            for warm in (False, True) if repeat % 2 == 0 else (True, False):
                seconds, results = one_bracket(task, X, y, warm, args.n_jobs, args.seed)
                times[warm].append(seconds)
                scores[warm] = np.asarray(results["mean_test_score"], dtype=float)
        cold, warm_ = statistics.median(times[False]), statistics.median(times[True])
        difference = float(np.max(np.abs(scores[True] - scores[False])))
        low, high = _schedule(task, len(X))
        print(
            f"| {name} | {task.resource} {low}-{high} | {cold:.1f} | {warm_:.1f} "
            f"| {warm_ / cold:.2f} | {difference:.4f} "
            f"| {' '.join(f'{t:.1f}' for t in times[False])} "
            f"| {' '.join(f'{t:.1f}' for t in times[True])} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
