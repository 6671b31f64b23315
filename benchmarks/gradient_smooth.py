"""Gradient search on smooth scikit-learn problems, against GP and random search.

Each problem is a model with one or two continuous hyperparameters (log
scale) on a bundled dataset, scored by 5-fold cross-validation with fixed
folds and a score that varies smoothly with the hyperparameters. The
reference is the best mean test score of a grid of about 1,000 points
(1,000 for one dimension, 32 x 32 for two), computed once with scikit-learn's
GridSearchCV and cached in --grid-cache.

Every method runs as a user would run it, ``HyperSearchCV(generator=...)``
with ``n_jobs=1`` and the same budget of evaluations, once per seed; the
methods alternate. Reported per problem and method: in how many seeds the
search came within 0.1% of the grid's best score (``best >= ref - 0.001 *
|ref|``), the median number of evaluations it took (over the seeds that got
there), and the median relative gap left at the end of the budget (negative:
better than the grid).

Ranges are log-uniform and chosen so that the optimum is not at their
centre, where the gradient search starts (GP and random search start from
random points). "gp+gradient" spends 60% of the budget on GP search and the rest on
gradient search started from the GP's best point (``initial_points``; that
point's repeated evaluation is not counted).

The problem "svc-accuracy" is the same SVC scored by accuracy, a step
function of C and gamma: finite differences mostly read zero there.

A method is a generator name, or a name with parameters, as
"gradient(fd_step=0.02)".

Run:
    OMP_NUM_THREADS=1 python benchmarks/gradient_smooth.py            # 5 seeds
    OMP_NUM_THREADS=1 python benchmarks/gradient_smooth.py --seeds 2 --problems ridge
    OMP_NUM_THREADS=1 python benchmarks/gradient_smooth.py --budget-2d 100 \
        --problems svc kernelridge --methods gradient "gradient(fd_step=0.02)" gp random
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import statistics
import time
import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.kernel_ridge import KernelRidge
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import hinge_loss, make_scorer
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler
from sklearn.svm import SVC

from skhyper import HyperSearchCV, Real
from skhyper.generators import make_generator

HERE = os.path.dirname(os.path.abspath(__file__))


@dataclass(frozen=True)
class Problem:
    name: str
    dataset: str
    make_estimator: object
    space: dict  # parameter -> (low, high), searched in log scale
    scoring: object
    classification: bool


def _hinge_scorer():
    return make_scorer(
        hinge_loss, greater_is_better=False, response_method="decision_function"
    )


PROBLEMS = {
    p.name: p
    for p in [
        Problem(
            "ridge",
            "diabetes",
            lambda: make_pipeline(PolynomialFeatures(2), StandardScaler(), Ridge()),
            {"ridge__alpha": (1e-4, 1e4)},
            "r2",
            False,
        ),
        Problem(
            "logreg",
            "breast_cancer",
            lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)),
            {"logisticregression__C": (1e-2, 1e6)},
            "neg_log_loss",
            True,
        ),
        Problem(
            "svc",
            "breast_cancer",
            lambda: make_pipeline(StandardScaler(), SVC()),
            {"svc__C": (1e-2, 1e3), "svc__gamma": (1e-4, 1e0)},
            "hinge",
            True,
        ),
        Problem(
            "kernelridge",
            "diabetes",
            lambda: KernelRidge(kernel="rbf"),
            {"alpha": (1e-4, 1e1), "gamma": (1e-3, 1e2)},
            "r2",
            False,
        ),
        Problem(
            "svc-accuracy",
            "breast_cancer",
            lambda: make_pipeline(StandardScaler(), SVC()),
            {"svc__C": (1e-2, 1e3), "svc__gamma": (1e-4, 1e0)},
            "accuracy",
            True,
        ),
    ]
}


def load(problem: Problem):
    if problem.dataset == "diabetes":
        return load_diabetes(return_X_y=True)
    return load_breast_cancer(return_X_y=True)


def cv_of(problem: Problem):
    splitter = StratifiedKFold if problem.classification else KFold
    return splitter(5, shuffle=True, random_state=0)


def scoring_of(problem: Problem):
    return _hinge_scorer() if problem.scoring == "hinge" else problem.scoring


def grid_values(problem: Problem) -> dict[str, list[float]]:
    n = 1000 if len(problem.space) == 1 else 32
    return {
        name: list(np.geomspace(low, high, n))
        for name, (low, high) in problem.space.items()
    }


def grid_reference(problem: Problem, cache_path: str) -> dict:
    """Best score and parameters of the ~1,000-point grid (cached)."""
    cache = {}
    if os.path.exists(cache_path):
        with open(cache_path) as fh:
            cache = json.load(fh)
    grid = grid_values(problem)
    signature = json.dumps(
        [
            repr(problem.make_estimator()),
            problem.space,
            problem.scoring,
            {k: len(v) for k, v in grid.items()},
        ],
        sort_keys=True,
    )
    entry = cache.get(problem.name)
    if entry is not None and entry["signature"] == signature:
        return entry
    X, y = load(problem)
    start = time.perf_counter()
    search = GridSearchCV(
        problem.make_estimator(),
        grid,
        scoring=scoring_of(problem),
        cv=cv_of(problem),
        refit=False,
    ).fit(X, y)
    entry = {
        "signature": signature,
        "best_score": float(search.best_score_),
        "best_params": {k: float(v) for k, v in search.best_params_.items()},
        "n_points": len(search.cv_results_["params"]),
        "seconds": time.perf_counter() - start,
    }
    cache[problem.name] = entry
    with open(cache_path, "w") as fh:
        json.dump(cache, fh, indent=1, sort_keys=True)
    return entry


def generator_of(method: str):
    """A generator name, or an instance for "name(param=value, ...)"."""
    if not method.endswith(")"):
        return method
    name, _, args = method[:-1].partition("(")
    params = {}
    for item in filter(None, args.split(",")):
        key, _, value = item.partition("=")
        params[key.strip()] = ast.literal_eval(value.strip())
    return make_generator(name).set_params(**params)


def run(problem: Problem, method: str, budget: int, seed: int) -> dict:
    if method == "gp+gradient":
        return run_polished(problem, budget, seed)
    X, y = load(problem)
    space = {
        name: Real(low, high, log=True) for name, (low, high) in problem.space.items()
    }
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search = HyperSearchCV(
            problem.make_estimator(),
            space,
            generator=generator_of(method),
            n_iter=budget,
            scoring=scoring_of(problem),
            cv=cv_of(problem),
            refit=False,
            random_state=seed,
        ).fit(X, y)
    return {
        "scores": [float(s) for s in search.cv_results_["mean_test_score"]],
        "best_params": search.best_params_,
        "seconds": time.perf_counter() - start,
        "n_batches": int(search.n_iter_),
    }


def run_polished(problem: Problem, budget: int, seed: int) -> dict:
    """GP for 60% of the budget, then gradient search from its best point."""
    X, y = load(problem)
    space = {name: Real(lo, hi, log=True) for name, (lo, hi) in problem.space.items()}
    n_gp = round(0.6 * budget)
    start = time.perf_counter()
    scores, searches = [], []
    for generator, n_iter, initial in [
        ("gp", n_gp, None),
        ("gradient", budget - n_gp, 0),
    ]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            search = HyperSearchCV(
                problem.make_estimator(),
                space,
                generator=generator,
                n_iter=n_iter,
                initial_points=None if initial is None else [searches[0].best_params_],
                scoring=scoring_of(problem),
                cv=cv_of(problem),
                refit=False,
                random_state=seed,
            ).fit(X, y)
        searches.append(search)
        found = [float(s) for s in search.cv_results_["mean_test_score"]]
        # The polish re-evaluates the GP's best point first: do not count it.
        scores += found if initial is None else found[1:]
    best = max(searches, key=lambda s: s.best_score_)
    return {
        "scores": scores,
        "best_params": best.best_params_,
        "seconds": time.perf_counter() - start,
        "n_batches": sum(int(s.n_iter_) for s in searches),
    }


def evals_to_reach(scores: list[float], threshold: float) -> int | None:
    best = -np.inf
    for i, score in enumerate(scores, start=1):
        if np.isfinite(score):
            best = max(best, score)
        if best >= threshold:
            return i
    return None


def _median(values):
    return statistics.median(values) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]),
    )
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1")
    parser.add_argument(
        "--budget-1d", type=int, default=30, help="evaluations, 1-D problems"
    )
    parser.add_argument(
        "--budget-2d", type=int, default=50, help="evaluations, 2-D problems"
    )
    parser.add_argument(
        "--problems", nargs="+", default=list(PROBLEMS), choices=list(PROBLEMS)
    )
    parser.add_argument(
        "--methods", nargs="+", default=["gradient", "gp", "gp+gradient", "random"]
    )
    parser.add_argument(
        "--grid-cache", default=os.path.join(HERE, "gradient_smooth_grid.json")
    )
    parser.add_argument("--out", default="gradient_smooth.json", help="raw results")
    args = parser.parse_args()

    started = time.perf_counter()
    records = []
    references = {}
    run_index = 0
    for name in args.problems:
        problem = PROBLEMS[name]
        references[name] = grid_reference(problem, args.grid_cache)
        ref = references[name]["best_score"]
        threshold = ref - 1e-3 * abs(ref)
        budget = args.budget_1d if len(problem.space) == 1 else args.budget_2d
        for seed in range(args.seeds):
            shift = run_index % len(args.methods)
            run_index += 1
            for method in args.methods[shift:] + args.methods[:shift]:
                result = run(problem, method, budget, seed)
                best = max(s for s in result["scores"] if np.isfinite(s))
                result.update(
                    problem=name,
                    method=method,
                    seed=seed,
                    budget=budget,
                    reference=ref,
                    reached_at=evals_to_reach(result["scores"], threshold),
                    gap=(ref - best) / abs(ref),
                )
                records.append(result)
    wall = time.perf_counter() - started

    import sklearn

    print(
        f"# Gradient search on smooth problems: {args.seeds} seeds, budgets "
        f"{args.budget_1d} (1-D) / {args.budget_2d} (2-D) evaluations, "
        f"5-fold CV, n_jobs=1; wall {wall:.0f} s; scikit-learn {sklearn.__version__}"
    )
    print()
    print("| problem | grid best (points) | " + " | ".join(args.methods) + " |")
    print("| --- | --- |" + " --- |" * len(args.methods))
    for name in args.problems:
        ref = references[name]
        cells = []
        for method in args.methods:
            rows = [
                r for r in records if r["problem"] == name and r["method"] == method
            ]
            reached = [r["reached_at"] for r in rows if r["reached_at"] is not None]
            gap = _median([r["gap"] for r in rows])
            evals = f"{_median(reached):g}" if reached else "-"
            cells.append(
                f"{len(reached)}/{len(rows)} in {evals} evals, gap {100 * gap:+.3f}%"
            )
        print(
            f"| {name} | {ref['best_score']:.5g} ({ref['n_points']}) | "
            + " | ".join(cells)
            + " |"
        )
    print()
    print(
        "Cells: seeds within 0.1% of the grid's best / median evaluations to get "
        "there / median relative gap at the end of the budget."
    )
    print()
    print("Evaluations to reach 0.1% per seed (- : not within the budget):")
    print()
    print("| problem | " + " | ".join(args.methods) + " |")
    print("| --- |" + " --- |" * len(args.methods))
    for name in args.problems:
        cells = []
        for method in args.methods:
            rows = [
                r for r in records if r["problem"] == name and r["method"] == method
            ]
            rows.sort(key=lambda r: r["seed"])
            cells.append(
                ", ".join(
                    "-" if r["reached_at"] is None else str(r["reached_at"])
                    for r in rows
                )
            )
        print(f"| {name} | " + " | ".join(cells) + " |")

    with open(args.out, "w") as fh:
        json.dump(
            {"args": vars(args), "references": references, "runs": records},
            fh,
            indent=1,
        )
    print(f"\nraw results: {args.out}")


if __name__ == "__main__":
    main()
