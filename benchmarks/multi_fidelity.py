"""Multi-fidelity search: time to a good model, side by side in one run.

Methods, all given the same wall-clock budget per run, the same 3 folds (a
fixed shuffle), the same search space and (for the multi-fidelity ones) the
same resource schedule (``factor=3``, four rungs from ``max/27`` to ``max``,
27 candidates per bracket):

- ``halving-gp``: :class:`skhyper.HalvingBayesSearchCV` (the GP sees every
  rung; ``fidelity_model="input"``; its first bracket is a Sobol design, the
  GP proposing from the second on), brackets until ``max_time``.
- ``halving-gp-highest``: the same with ``fidelity_model="highest"``
  (one model per rung, proposals from the highest rung with enough data).
- ``halving-gp-hyperband``: ``halving-gp`` with ``hyperband=True``
  (brackets start at rungs 0, 1, 2, 3 in turn).
- ``halving-gp-early``: ``halving-gp`` whose GP proposes within the first
  rung already, after 8 Sobol points (``n_initial_points=8``, the default
  before the first bracket became all Sobol; RESULTS.md calls its runs made
  before that change ``halving-gp``, and the new default's
  ``halving-gp-init27``).
- ``halving-gp-cost``: ``halving-gp`` with ``cost_exponent=1``: expected
  improvement per predicted second.
- ``halving-gp-warm``: ``halving-gp`` with ``warm_start_promotions=True``:
  a promoted candidate continues its fitted model of the rung before.
- ``halving-random``: :class:`skhyper.HalvingBayesSearchCV` with
  ``generator="random"``, brackets until ``max_time``.
- ``bayes``: :class:`skhyper.BayesSearchCV`, every candidate at the full
  resource, until ``max_time``.
- ``sklearn-halving``: scikit-learn's ``HalvingRandomSearchCV`` with the same
  schedule; it has no time budget, so it is run bracket after bracket (a
  new seed each) until the budget is spent, keeping the best top-rung
  candidate over brackets; a bracket that ends after the budget does not
  count (until session 6 it did, which favoured it at the end of a run).
- ``optuna-tpe``: Optuna's ``TPESampler`` with a ``HyperbandPruner`` over the
  same resource (min ``max/27``, max ``max``, reduction factor 3); the
  objective (written here) reports the 3-fold score at each rung resource
  and stops when pruned; ``study.optimize(timeout=budget)``.

Measures, per task and seed. A method's incumbent at time ``t`` is its best
candidate by cross-validated score among those evaluated at the full
resource by ``t`` (the honest choice: no peeking at the test set). Each
incumbent is refitted on the whole training set and scored on a held-out
test set (the time this takes is not counted). ``target`` is the best such
test score any method reached, minus 0.5% of it; time-to-target is when a
method's incumbent first scores at least ``target`` (``inf`` if never
within the budget). Tables give medians over seeds, the ratio of medians
against ``halving-gp``, and the median final test score at the budget.

Run (in the benchmark env, see benchmarks/README.md; one core per run):
    OMP_NUM_THREADS=1 nice python benchmarks/multi_fidelity.py
    OMP_NUM_THREADS=1 python benchmarks/multi_fidelity.py --tasks hgb \\
        --seeds 1 --budget 10                    # smoke test
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import (
    HalvingRandomSearchCV,
    KFold,
    StratifiedKFold,
    cross_val_score,
    train_test_split,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, SVR
from sklearn.utils import resample

import skhyper
from skhyper import (
    BayesSearchCV,
    HalvingBayesSearchCV,
    Integer,
    MultiFidelityGPGenerator,
    Real,
)

FACTOR = 3
N_CANDIDATES = 27  # four rungs: 27, 9, 3, 1 candidates
TOLERANCE = 0.005
METHODS = [
    "halving-gp",
    "bayes",
    "sklearn-halving",
    "optuna-tpe",
]
ALL_METHODS = [
    *METHODS,
    "halving-gp-highest",
    "halving-gp-hyperband",
    "halving-gp-early",
    "halving-gp-cost",
    "halving-gp-warm",
    "halving-random",
]


@dataclass
class Dim:
    name: str
    low: float
    high: float
    log: bool = False
    integer: bool = False

    def skhyper(self) -> Any:
        kind = Integer if self.integer else Real
        return kind(self.low, self.high, log=self.log)

    def scipy(self) -> Any:
        if self.integer and not self.log:
            return stats.randint(self.low, self.high + 1)
        if self.integer:  # scipy has no log-uniform integers: round a float
            return _RoundedLogUniform(self.low, self.high)
        if self.log:
            return stats.loguniform(self.low, self.high)
        return stats.uniform(self.low, self.high - self.low)

    def optuna(self, trial: Any) -> Any:
        if self.integer:
            return trial.suggest_int(self.name, self.low, self.high, log=self.log)
        return trial.suggest_float(self.name, self.low, self.high, log=self.log)


class _RoundedLogUniform:
    """A log-uniform integer distribution with the ``rvs`` sklearn samples."""

    def __init__(self, low: int, high: int) -> None:
        self.dist = stats.loguniform(low, high + 1)

    def rvs(self, size: Any = None, random_state: Any = None) -> Any:
        values = np.floor(self.dist.rvs(size=size, random_state=random_state))
        return values.astype(int) if size is not None else int(values)


@dataclass
class Task:
    name: str
    make_estimator: Callable[[], Any]
    dims: list[Dim]
    resource: str  # "n_samples" or the estimator parameter
    max_resources: int | None  # None: all training samples
    make_data: Callable[[], tuple]
    classifier: bool = True

    def data(self) -> tuple:
        X, y = self.make_data()
        return train_test_split(
            X,
            y,
            test_size=0.25,
            random_state=0,
            stratify=y if self.classifier else None,
        )

    def cv(self) -> Any:
        kind = StratifiedKFold if self.classifier else KFold
        return kind(3, shuffle=True, random_state=0)


def _classification(n: int, n_features: int = 20) -> Callable[[], tuple]:
    return lambda: make_classification(
        n_samples=n,
        n_features=n_features,
        n_informative=n_features // 2,
        n_redundant=n_features // 4,
        flip_y=0.05,
        class_sep=0.8,
        random_state=0,
    )


def _regression(n: int) -> Callable[[], tuple]:
    def make() -> tuple:
        X, y = make_regression(
            n_samples=n, n_features=20, n_informative=10, noise=10.0, random_state=0
        )
        # A non-linear target, so that the trees' settings matter.
        return X, y + 30.0 * np.sin(X[:, 0] * 2) * X[:, 1]

    return make


HGB_DIMS = [
    Dim("learning_rate", 0.01, 1.0, log=True),
    Dim("max_leaf_nodes", 4, 128, log=True, integer=True),
    Dim("min_samples_leaf", 2, 200, log=True, integer=True),
    Dim("l2_regularization", 1e-4, 10.0, log=True),
]
HGB_WIDE_DIMS = [
    Dim("max_depth", 2, 16, integer=True),
    Dim("max_features", 0.1, 1.0),
    Dim("max_bins", 8, 255, log=True, integer=True),
]


def _hgb_task(name: str, dims: list[Dim], issue: bool) -> Task:
    return Task(
        name,
        lambda: HistGradientBoostingClassifier(early_stopping=False, random_state=0),
        dims,
        resource="max_iter",
        max_resources=243 if issue else 81,
        make_data=_classification(40_000 if issue else 6000),
    )


def make_tasks(scale: str = "small") -> dict[str, Task]:
    """The four tasks. ``"small"``: one full fit of 0.4 to 0.8 s (session 3's
    runs). ``"issue"``: the issue's sizes, one full fit of about 0.7 to 6 s
    on these machines depending on the candidate (HGB 0.7-2.4 s, RF 1.3-5.7
    s, SVC 0.8-4.8 s, SVR 0.5-2.2 s, measured at default and at the slowest
    settings of each space)."""
    issue = scale == "issue"
    return {
        "hgb": _hgb_task("hgb", HGB_DIMS, issue),
        # The same model over seven parameters: does screening many
        # candidates cheaply pay once a full-fidelity search needs more
        # evaluations?
        "hgb-wide": _hgb_task("hgb-wide", HGB_DIMS + HGB_WIDE_DIMS, issue),
        "rf": Task(
            "rf",
            lambda: RandomForestClassifier(random_state=0),
            [
                Dim("max_depth", 2, 30, integer=True),
                Dim("min_samples_leaf", 1, 50, log=True, integer=True),
                Dim("max_features", 0.05, 1.0),
            ],
            resource="n_estimators",
            max_resources=162 if issue else 81,
            make_data=_classification(8000 if issue else 1600),
        ),
        "svc": Task(
            "svc",
            lambda: make_pipeline(StandardScaler(), SVC()),
            [
                Dim("svc__C", 1e-2, 1e3, log=True),
                Dim("svc__gamma", 1e-4, 1.0, log=True),
            ],
            resource="n_samples",
            max_resources=None,
            make_data=_classification(16_000 if issue else 4000),
        ),
        "svr": Task(
            "svr",
            lambda: make_pipeline(StandardScaler(), SVR()),
            [
                # At 6000 training rows C=1e4 makes one fit take 100 s.
                Dim("svr__C", 1e-1, 1e3 if issue else 1e4, log=True),
                Dim("svr__gamma", 1e-4, 1.0, log=True),
                Dim("svr__epsilon", 1e-2, 10.0, log=True),
            ],
            resource="n_samples",
            max_resources=None,
            make_data=_regression(8000 if issue else 4000),
            classifier=False,
        ),
    }


TASKS = make_tasks()
DEFAULT_TASKS = ["hgb", "rf", "svc", "svr"]


# -- one run of one method ---------------------------------------------------
@dataclass
class Run:
    #: (seconds, incumbent parameters at the full resource) when it changed.
    trajectory: list[tuple[float, dict]]
    n_full: int  # full-resource evaluations
    n_fits: int  # cross-validated candidate evaluations at any resource


def _schedule(task: Task, n_train: int) -> tuple[int, int]:
    high = task.max_resources or n_train
    return high // FACTOR**3, high


def _top_rung(task: Task, n_train: int) -> int:
    """The resource of the last rung: scikit-learn's ``int(min * factor**3)``,
    which is below ``max_resources`` when that is not a multiple of 27."""
    low, high = _schedule(task, n_train)
    return min(low * FACTOR**3, high)


def _with_full_resource(task: Task, params: dict, high: int) -> dict:
    if task.resource == "n_samples":
        return dict(params)
    return {**params, task.resource: high}


class _Clock:
    """Batch end times of a skhyper search (a stopping callback that never
    stops)."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.ends: list[tuple[float, int]] = []

    def __call__(self, state: Any) -> None:
        self.ends.append((time.monotonic() - self.start, state.n_evaluated))


def _trajectory_from_results(
    results: dict, ends: list[tuple[float, int]], full: np.ndarray
) -> list[tuple[float, dict]]:
    scores = np.asarray(results["mean_test_score"], dtype=float)
    trajectory, best, best_score = [], None, -math.inf
    for seconds, n in ends:
        for i in range(n):
            if full[i] and np.isfinite(scores[i]) and scores[i] > best_score:
                best, best_score = i, scores[i]
        if best is not None and (not trajectory or trajectory[-1][1] != best):
            trajectory.append((seconds, best))
    return [(s, results["params"][i]) for s, i in trajectory]


def run_skhyper(task: Task, method: str, seed: int, budget: float, data: tuple) -> Run:
    X, _, y, _ = data
    low, high = _schedule(task, len(X))
    space = {d.name: d.skhyper() for d in task.dims}
    clock = _Clock()
    common = dict(
        cv=task.cv(),
        random_state=seed,
        refit=False,
        max_time=budget,
        callbacks=clock,
        progress_bar=False,
    )
    if method == "bayes":
        estimator = task.make_estimator()
        if task.resource != "n_samples":
            estimator.set_params(**{task.resource: high})
        search = BayesSearchCV(estimator, space, n_iter=100_000, **common)
    else:
        generator = {
            "halving-gp": "gp",
            "halving-gp-highest": MultiFidelityGPGenerator(fidelity_model="highest"),
            "halving-gp-hyperband": "gp",
            "halving-gp-early": MultiFidelityGPGenerator(n_initial_points=8),
            "halving-gp-cost": MultiFidelityGPGenerator(cost_exponent=1.0),
            "halving-gp-warm": "gp",
            "halving-random": "random",
        }[method]
        search = HalvingBayesSearchCV(
            task.make_estimator(),
            space,
            resource=task.resource,
            factor=FACTOR,
            min_resources=low,
            max_resources=high,
            n_candidates=N_CANDIDATES,
            n_brackets=100_000,
            hyperband=method.endswith("-hyperband"),
            warm_start_promotions=method.endswith("-warm"),
            generator=generator,
            return_train_score=False,
            **common,
        )
    clock.start = time.monotonic()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, y)
    results = search.cv_results_
    n = len(results["params"])
    if method == "bayes":
        full = np.ones(n, dtype=bool)
    else:
        full = np.asarray(results["n_resources"]) == _top_rung(task, len(X))
    trajectory = _trajectory_from_results(results, clock.ends, full)
    return Run(
        [(s, _with_full_resource(task, p, high)) for s, p in trajectory],
        int(full.sum()),
        n,
    )


def run_sklearn_halving(task: Task, seed: int, budget: float, data: tuple) -> Run:
    X, _, y, _ = data
    low, high = _schedule(task, len(X))
    space = {d.name: d.scipy() for d in task.dims}
    start = time.monotonic()
    trajectory, best_score, n_full, n_fits, bracket = [], -math.inf, 0, 0, 0
    while time.monotonic() - start < budget:
        search = HalvingRandomSearchCV(
            task.make_estimator(),
            space,
            resource=task.resource,
            factor=FACTOR,
            min_resources=low,
            max_resources=high,
            n_candidates=N_CANDIDATES,
            cv=task.cv(),
            random_state=seed * 1000 + bracket,
            refit=False,
            return_train_score=False,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            search.fit(X, y)
        # A bracket runs to its end; one that ends after the budget does not
        # count, as skhyper's searches stop at max_time.
        if time.monotonic() - start > budget:
            break
        bracket += 1
        results = search.cv_results_
        n_fits += len(results["params"])
        top = np.asarray(results["n_resources"]) == _top_rung(task, len(X))
        top = np.flatnonzero(top)
        n_full += top.size
        scores = np.asarray(results["mean_test_score"], dtype=float)[top]
        if top.size and np.isfinite(scores).any():
            i = top[int(np.nanargmax(scores))]
            if scores.max() > best_score:
                best_score = float(np.nanmax(scores))
                params = _with_full_resource(task, results["params"][i], high)
                trajectory.append((time.monotonic() - start, params))
    return Run(trajectory, n_full, n_fits)


def _subsampled_cv(task: Task, X: Any, y: Any, fraction: float, seed: int) -> list:
    folds = []
    for train, test in task.cv().split(X, y):
        folds.append(
            (
                resample(
                    train,
                    replace=False,
                    random_state=seed,
                    n_samples=int(fraction * len(train)),
                ),
                resample(
                    test,
                    replace=False,
                    random_state=seed,
                    n_samples=int(fraction * len(test)),
                ),
            )
        )
    return folds


def run_optuna(task: Task, seed: int, budget: float, data: tuple) -> Run:
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    X, _, y, _ = data
    low, high = _schedule(task, len(X))
    rungs = [min(low * FACTOR**i, high) for i in range(4)]
    folds = {
        r: _subsampled_cv(task, X, y, r / len(X), seed)
        if task.resource == "n_samples"
        else task.cv()
        for r in rungs
    }

    def objective(trial: Any) -> float:
        params = {d.name: d.optuna(trial) for d in task.dims}
        score = math.nan
        for r in rungs:
            estimator = task.make_estimator().set_params(**params)
            if task.resource != "n_samples":
                estimator.set_params(**{task.resource: r})
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                score = float(np.mean(cross_val_score(estimator, X, y, cv=folds[r])))
            trial.report(score, r)
            if r < high and trial.should_prune():
                raise optuna.TrialPruned()
        return score

    study = optuna.create_study(
        direction="maximize",
        sampler=optuna.samplers.TPESampler(seed=seed),
        pruner=optuna.pruners.HyperbandPruner(
            min_resource=low, max_resource=high, reduction_factor=FACTOR
        ),
    )
    start = time.monotonic()
    trajectory: list[tuple[float, dict]] = []
    best = [-math.inf]

    def record(study: Any, trial: Any) -> None:
        if trial.state == optuna.trial.TrialState.COMPLETE and trial.value > best[0]:
            best[0] = trial.value
            params = _with_full_resource(task, dict(trial.params), high)
            trajectory.append((time.monotonic() - start, params))

    study.optimize(objective, timeout=budget, callbacks=[record])
    complete = [t for t in study.trials if t.state.name == "COMPLETE"]
    return Run(trajectory, len(complete), len(study.trials))


def run_method(task: Task, method: str, seed: int, budget: float, data: tuple) -> Run:
    if method == "sklearn-halving":
        return run_sklearn_halving(task, seed, budget, data)
    if method == "optuna-tpe":
        return run_optuna(task, seed, budget, data)
    return run_skhyper(task, method, seed, budget, data)


# -- scoring and tables --------------------------------------------------------
class TestScores:
    """Held-out test score of parameter settings, refitted on all training
    data; cached per task."""

    def __init__(self, task: Task, data: tuple) -> None:
        self.task, self.data, self.cache = task, data, {}

    def __call__(self, params: dict) -> float:
        key = repr(sorted(params.items()))
        if key not in self.cache:
            X, X_test, y, y_test = self.data
            estimator = self.task.make_estimator().set_params(**params)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                estimator.fit(X, y)
            self.cache[key] = float(estimator.score(X_test, y_test))
        return self.cache[key]


def time_to(trajectory: list[tuple[float, float]], target: float) -> float:
    return next((s for s, score in trajectory if score >= target), math.inf)


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def _fmt(x: float, digits: int = 1) -> str:
    if math.isinf(x):
        return "never"
    if math.isnan(x):
        return "-"
    return f"{x:.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", nargs="+", default=DEFAULT_TASKS, choices=TASKS)
    parser.add_argument("--methods", nargs="+", default=METHODS, choices=ALL_METHODS)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument(
        "--first-seed", type=int, default=0, help="seeds run: first-seed + 0..seeds-1"
    )
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per run")
    parser.add_argument("--out", default="multi_fidelity.json")
    parser.add_argument(
        "--scale",
        choices=["small", "issue"],
        default="small",
        help="task sizes: 'small' (0.4-0.8 s per full fit) or 'issue' (1-6 s)",
    )
    parser.add_argument(
        "--time-fit", action="store_true", help="only time one full fit per task"
    )
    args = parser.parse_args()

    import optuna
    import sklearn

    print(
        f"scikit-learn {sklearn.__version__}, skhyper {skhyper.__version__}, "
        f"optuna {optuna.__version__}; budget {args.budget:g} s per run, "
        f"{args.seeds} seeds from {args.first_seed}, methods alternated within "
        "each seed, "
        f"scale {args.scale!r}"
    )
    tasks = make_tasks(args.scale)
    raw: dict = {}
    for name in args.tasks:
        task = tasks[name]
        data = task.data()
        X, _, y, _ = data
        low, high = _schedule(task, len(X))
        full = task.make_estimator()
        if task.resource != "n_samples":
            full.set_params(**{task.resource: high})
        t0 = time.monotonic()
        cross_val_score(full, X, y, cv=task.cv())
        fit_seconds = (time.monotonic() - t0) / 3
        print(
            f"\n### {name}: {len(X)} training rows, resource={task.resource} "
            f"from {low} to {high}; one full fit {fit_seconds:.2f} s"
        )
        if args.time_fit:
            continue
        scorer = TestScores(task, data)
        per_seed: list[dict[str, Run]] = []
        seeds = range(args.first_seed, args.first_seed + args.seeds)
        for seed in seeds:
            runs = {}
            order = args.methods[seed % len(args.methods) :]
            order += args.methods[: seed % len(args.methods)]
            for method in order:
                runs[method] = run_method(task, method, seed, args.budget, data)
            per_seed.append(runs)
        table: dict[str, dict[str, list[float]]] = {
            m: {"time": [], "final": [], "n_full": [], "n_fits": []}
            for m in args.methods
        }
        raw[name] = []
        for seed, runs in zip(seeds, per_seed, strict=True):
            scored = {
                m: [(s, scorer(p)) for s, p in run.trajectory]
                for m, run in runs.items()
            }
            best = max((sc for traj in scored.values() for _, sc in traj), default=0)
            target = best - TOLERANCE * abs(best)
            for m, traj in scored.items():
                table[m]["time"].append(time_to(traj, target))
                within = [score for s, score in traj if s <= args.budget]
                table[m]["final"].append(within[-1] if within else math.nan)
                table[m]["n_full"].append(runs[m].n_full)
                table[m]["n_fits"].append(runs[m].n_fits)
            raw[name].append(
                {
                    "seed": seed,
                    "target": target,
                    "trajectories": {
                        m: [
                            (s, sc, repr(p))
                            for (s, p), (_, sc) in zip(
                                runs[m].trajectory, scored[m], strict=True
                            )
                        ]
                        for m in runs
                    },
                }
            )
        reference = _median(table["halving-gp"]["time"]) if "halving-gp" in table else 0
        print(
            "\n| method | median time to target (s) | time / halving-gp | "
            "runs reaching target | median final test score | "
            "median full-resource evaluations | median evaluations (all rungs) |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for m in args.methods:
            times = table[m]["time"]
            median_time = _median(times)
            ratio = (
                median_time / reference
                if reference and math.isfinite(reference) and math.isfinite(median_time)
                else math.inf
                if math.isinf(median_time)
                else math.nan
            )
            reached = sum(math.isfinite(t) for t in times)
            finals = [f for f in table[m]["final"] if not math.isnan(f)]
            print(
                f"| {m} | {_fmt(median_time)} | {_fmt(ratio, 2)} | "
                f"{reached}/{len(times)} | {_fmt(_median(finals), 4)} | "
                f"{_median(table[m]['n_full']):g} | {_median(table[m]['n_fits']):g} |"
            )
        print(
            "\nper seed, time to target (s): "
            + "; ".join(
                f"{m} " + " ".join(_fmt(t) for t in table[m]["time"])
                for m in args.methods
            )
        )
        print(
            "per seed, final test score: "
            + "; ".join(
                f"{m} " + " ".join(_fmt(f, 4) for f in table[m]["final"])
                for m in args.methods
            )
        )
        with open(args.out, "w") as handle:
            json.dump(raw, handle, indent=1, default=str)


if __name__ == "__main__":
    main()
