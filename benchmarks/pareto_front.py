"""Score against fit time: hypervolume of the Pareto front found at equal budget.

Each method proposes ``--n-evals`` candidates one at a time for a
scikit-learn task; every candidate is evaluated by the same 3-fold
``cross_validate`` (mean test score, maximized; mean fit time, minimized).
Methods, alternated within each seed so the shared machine's noise hits
them alike:

- ``skhyper-pareto-gp``: ``HyperSearchCV(generator="gp",
  objectives=["score", "fit_time"], batch_size=1)``, i.e. ParetoGPGenerator;
- ``skhyper-random``: the same search with ``generator="random"``;
- ``optuna-default``: ``optuna.create_study(directions=[...])`` with its
  default sampler;
- ``optuna-nsga2``: ``NSGAIISampler()`` with its defaults.

Per task, both objectives are normalized to [0, 1] over all evaluations of
all methods and seeds (score: 0 is the best seen; time: 0 is the fastest),
and the hypervolume of each run's front is taken with reference point
(1.1, 1.1). Prints markdown tables.

    # 4 tasks, 5 seeds, 50 evaluations:
    OMP_NUM_THREADS=1 nice python benchmarks/pareto_front.py
    python benchmarks/pareto_front.py --seeds 1 --n-evals 15 --tasks svc-digits
"""

from __future__ import annotations

import argparse
import json
import time
import warnings

import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_wine
from sklearn.ensemble import (
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.model_selection import KFold, StratifiedKFold, cross_validate
from sklearn.svm import SVC

from skhyper import HyperSearchCV, Integer, Real
from skhyper.selection import hypervolume

METHODS = ["skhyper-pareto-gp", "skhyper-random", "optuna-default", "optuna-nsga2"]


def _tasks():
    """name -> (estimator, X, y, cv, {param: (kind, low, high, log)})."""
    X_bc, y_bc = load_breast_cancer(return_X_y=True)
    X_dg, y_dg = load_digits(return_X_y=True)
    X_wn, y_wn = load_wine(return_X_y=True)
    X_db, y_db = load_diabetes(return_X_y=True)
    strat = StratifiedKFold(3, shuffle=True, random_state=0)
    return {
        "rf-breast_cancer": (
            RandomForestClassifier(random_state=0, n_jobs=1),
            X_bc,
            y_bc,
            strat,
            {
                "n_estimators": ("int", 2, 100, True),
                "max_depth": ("int", 1, 16, False),
                "max_features": ("real", 0.05, 1.0, False),
            },
        ),
        "svc-digits": (
            SVC(),
            X_dg[::2] / 16.0,
            y_dg[::2],
            strat,
            {"C": ("real", 1e-3, 1e3, True), "gamma": ("real", 1e-4, 10.0, True)},
        ),
        "hgb-wine": (
            HistGradientBoostingClassifier(random_state=0, early_stopping=False),
            X_wn,
            y_wn,
            strat,
            {
                "max_iter": ("int", 5, 200, True),
                "learning_rate": ("real", 1e-3, 1.0, True),
                "max_leaf_nodes": ("int", 2, 64, True),
            },
        ),
        "gbr-diabetes": (
            GradientBoostingRegressor(random_state=0),
            X_db,
            y_db,
            KFold(3, shuffle=True, random_state=0),
            {
                "n_estimators": ("int", 5, 300, True),
                "max_depth": ("int", 1, 6, False),
                "learning_rate": ("real", 1e-3, 1.0, True),
                "subsample": ("real", 0.3, 1.0, False),
            },
        ),
    }


def _evaluate(estimator, X, y, cv, params):
    model = estimator.set_params(**params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = cross_validate(model, X, y, cv=cv, error_score=np.nan)
    return float(np.mean(out["test_score"])), float(np.mean(out["fit_time"]))


def _run_skhyper(generator, task, n_evals, seed):
    estimator, X, y, cv, space = task
    dims = {
        name: (Integer if kind == "int" else Real)(low, high, log=log)
        for name, (kind, low, high, log) in space.items()
    }
    start = time.perf_counter()
    search = HyperSearchCV(
        estimator,
        dims,
        generator=generator,
        n_iter=n_evals,
        batch_size=1,
        cv=cv,
        objectives=["score", "fit_time"],
        refit=False,
        random_state=seed,
        progress_bar=False,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, y)
    wall = time.perf_counter() - start
    r = search.cv_results_
    fit_total = float(np.sum(r["mean_fit_time"] + r["mean_score_time"]) * cv.n_splits)
    return (
        np.asarray(r["mean_test_score"], float),
        np.asarray(r["mean_fit_time"], float),
        wall - fit_total,
    )


def _run_optuna(sampler_name, task, n_evals, seed):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    estimator, X, y, cv, space = task
    if sampler_name == "nsga2":
        sampler = optuna.samplers.NSGAIISampler(seed=seed)
    else:
        # The class create_study picks for several objectives, seeded.
        default = optuna.create_study(directions=["maximize", "minimize"]).sampler
        sampler = type(default)(seed=seed)
    study = optuna.create_study(directions=["maximize", "minimize"], sampler=sampler)
    scores, times, spent = [], [], 0.0
    for _ in range(n_evals):
        t0 = time.perf_counter()
        trial = study.ask()
        params = {}
        for name, (kind, low, high, log) in space.items():
            if kind == "int":
                params[name] = trial.suggest_int(name, low, high, log=log)
            else:
                params[name] = trial.suggest_float(name, low, high, log=log)
        spent += time.perf_counter() - t0
        score, fit_time = _evaluate(estimator, X, y, cv, params)
        t0 = time.perf_counter()
        if np.isfinite(score):
            study.tell(trial, [score, fit_time])
        else:
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
        spent += time.perf_counter() - t0
        scores.append(score)
        times.append(fit_time)
    return np.array(scores), np.array(times), spent, type(study.sampler).__name__


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--n-evals", type=int, default=50)
    parser.add_argument("--tasks", nargs="*", default=None)
    parser.add_argument("--methods", nargs="*", default=METHODS)
    parser.add_argument(
        "--out", default=None, help="raw results (JSON), rewritten after every run"
    )
    parser.add_argument(
        "--report", default=None, help="only print the tables of a saved --out"
    )
    args = parser.parse_args()
    if args.report:
        with open(args.report) as f:
            saved = json.load(f)
        args.seeds = max(len(r) for m in saved["raw"].values() for r in m.values())
        args.n_evals = saved.get("n_evals", args.n_evals)
        report(saved["raw"], args, saved["samplers"])
        return
    tasks = _tasks()
    names = args.tasks or list(tasks)
    unknown = set(names) - set(tasks)
    if unknown:
        parser.error(f"unknown tasks {sorted(unknown)}; choose from {list(tasks)}")
    raw: dict = {name: {m: [] for m in args.methods} for name in names}
    sampler_names: dict = {}
    # Seeds outermost: a run stopped early still has every task at equal seeds.
    for seed in range(args.seeds):
        for name in names:
            task = tasks[name]
            shift = seed % len(args.methods)
            for method in args.methods[shift:] + args.methods[:shift]:
                t0 = time.perf_counter()
                if method.startswith("skhyper"):
                    gen = "gp" if method == "skhyper-pareto-gp" else "random"
                    scores, times, overhead = _run_skhyper(
                        gen, task, args.n_evals, seed
                    )
                else:
                    scores, times, overhead, sampler = _run_optuna(
                        method.split("-")[1], task, args.n_evals, seed
                    )
                    sampler_names[method] = sampler
                raw[name][method].append(
                    {
                        "scores": scores.tolist(),
                        "fit_times": times.tolist(),
                        "overhead_s": overhead,
                        "wall_s": time.perf_counter() - t0,
                    }
                )
                if args.out:
                    with open(args.out, "w") as f:
                        saved = {"raw": raw, "samplers": sampler_names}
                        json.dump({**saved, "n_evals": args.n_evals}, f)
                print(
                    f"# {name} seed {seed} {method}: best score "
                    f"{np.nanmax(scores):.4f}, {time.perf_counter() - t0:.1f} s",
                    flush=True,
                )
    report(raw, args, sampler_names)


def report(raw, args, sampler_names) -> None:
    import optuna
    import sklearn

    import skhyper

    print(
        f"\nscikit-learn {sklearn.__version__}, skhyper {skhyper.__version__}, "
        f"optuna {optuna.__version__} (default multi-objective sampler: "
        f"{sampler_names.get('optuna-default', '?')}); up to {args.seeds} seeds x "
        f"{args.n_evals} sequential evaluations, 3-fold CV.\n"
    )
    methods = args.methods
    for log_time in (False, True):
        _hypervolume_table(raw, methods, log_time)
    _overhead_table(raw, methods, args)


def _complete(raw, methods):
    """Per task, the seeds every method finished (tasks with none left out)."""
    out = {}
    for name, by_method in raw.items():
        n = min(len(by_method.get(m, [])) for m in methods)
        if n:
            out[name] = {m: by_method[m][:n] for m in methods}
    return out


def _hypervolume_table(raw, methods, log_time) -> None:
    print(
        "\n"
        + (
            "Supplementary: fit time normalized on a log scale"
            if log_time
            else "Fit time normalized linearly (as the issue asks)"
        )
        + "\n"
    )
    print("| task | seeds | " + " | ".join(methods) + " |")
    print("| --- | --- |" + " --- |" * len(methods))
    wins = dict.fromkeys(methods, 0)
    for name, by_method in _complete(raw, methods).items():
        all_s = np.concatenate(
            [np.array(r["scores"]) for m in by_method.values() for r in m]
        )
        all_t = np.concatenate(
            [np.array(r["fit_times"]) for m in by_method.values() for r in m]
        )
        if log_time:
            all_t = np.log(all_t)
        ok = np.isfinite(all_s)
        s_lo, s_hi = all_s[ok].min(), all_s[ok].max()
        t_lo, t_hi = all_t[ok].min(), all_t[ok].max()
        cells, medians = [], {}
        for method in methods:
            volumes = []
            for r in by_method[method]:
                s, t = np.array(r["scores"]), np.array(r["fit_times"])
                t = np.log(t) if log_time else t
                points = np.column_stack(
                    [(s_hi - s) / (s_hi - s_lo), (t - t_lo) / (t_hi - t_lo)]
                )
                volumes.append(hypervolume(points, [1.1, 1.1]))
            medians[method] = float(np.median(volumes))
            low, high = np.min(volumes), np.max(volumes)
            cells.append(f"{np.median(volumes):.4f} ({low:.4f}-{high:.4f})")
        best = max(medians, key=medians.get)
        wins[best] += 1
        cells = [
            f"**{c}**" if m == best else c for m, c in zip(methods, cells, strict=True)
        ]
        n_seeds = len(by_method[methods[0]])
        print(f"| {name} | {n_seeds} | " + " | ".join(cells) + " |")
    print(
        "\nMedian hypervolume over seeds (min-max), larger is better; bold: the "
        "largest median per task. Tasks won: "
        + ", ".join(f"{m} {w}" for m, w in wins.items())
    )


def _overhead_table(raw, methods, args) -> None:
    print("\n| task | " + " | ".join(methods) + " |")
    print("| --- |" + " --- |" * len(methods))
    for name, by_method in _complete(raw, methods).items():
        cells = []
        for method in methods:
            overhead = [
                r["overhead_s"] / args.n_evals * 1000 for r in by_method[method]
            ]
            cells.append(f"{np.median(overhead):.0f}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print(
        "\nOptimizer time per evaluation, ms (median over seeds): wall time outside "
        "the cross-validation fits (for skhyper the search's own bookkeeping too)."
    )


if __name__ == "__main__":
    main()
